package io.podserve.kernels.cpu;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads and a parallel-for over chunk indices, cheap enough to call
 * thousands of times a second (a decode step's matmuls): no task objects, no queues, no allocation
 * per call. The caller publishes a {@link Task} and a chunk count by bumping a generation counter;
 * workers and the caller take chunks from one atomic counter; the caller then waits until every
 * worker has checked in. Idle workers spin for {@link #SPIN_NANOS} before parking, so back-to-back
 * calls find them awake.
 *
 * <p>Owned by one caller thread at a time: {@link #run} is not reentrant and must not be called
 * concurrently. Tasks run on the caller and on the workers at once.
 */
public final class WorkerPool implements AutoCloseable {
    /** One unit of parallel work; must be safe to run for different chunks on different threads. */
    public interface Task {
        /**
         * @param worker which participant runs it, in {@code [0, numThreads)} (0 is the caller); at
         *               most one chunk runs on a given worker at a time, so per-worker scratch is safe
         * @param chunk  the chunk index
         */
        void run(int worker, int chunk);
    }

    /** How long an idle worker spins before parking. */
    static final long SPIN_NANOS = 200_000;

    // NOTE: the shared counters live 64 bytes apart in one int array so they sit on separate cache
    // lines: workers spin on GENERATION while NEXT_CHUNK and DONE are hammered.
    private static final int PAD = 16;
    private static final int GENERATION = PAD;
    private static final int NEXT_CHUNK = 2 * PAD;
    private static final int DONE = 3 * PAD;
    private static final int PARKED = 4 * PAD; // PARKED + worker * PAD: 1 while that worker is parked

    private final AtomicIntegerArray slots;
    private final Thread[] workers;
    // Written by the caller before the generation bump, read by workers after seeing it.
    private Task task;
    private int numChunks;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** A pool of {@code numThreads} participants: the caller plus {@code numThreads - 1} workers. */
    public WorkerPool(int numThreads) {
        if (numThreads < 1) {
            throw new IllegalArgumentException("numThreads must be >= 1, got " + numThreads);
        }
        slots = new AtomicIntegerArray(PARKED + numThreads * PAD + PAD);
        workers = new Thread[numThreads - 1];
        for (int i = 0; i < workers.length; i++) {
            int worker = i;
            workers[i] = Thread.ofPlatform().daemon().name("podserve-kernels-" + (i + 1))
                    .unstarted(() -> workLoop(worker));
            workers[i].start();
        }
    }

    /** Participants in each {@link #run}: workers plus the caller. */
    public int numThreads() {
        return workers.length + 1;
    }

    /** Runs {@code task} for every chunk in {@code [0, numChunks)} and returns when all are done. */
    public void run(Task task, int numChunks) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (numChunks <= 1 || workers.length == 0) {
            for (int c = 0; c < numChunks; c++) {
                task.run(0, c);
            }
            return;
        }
        this.task = task;
        this.numChunks = numChunks;
        slots.set(NEXT_CHUNK, 0);
        slots.set(DONE, 0);
        slots.incrementAndGet(GENERATION); // publishes task and numChunks
        for (int i = 0; i < workers.length; i++) {
            if (slots.get(PARKED + i * PAD) != 0) {
                LockSupport.unpark(workers[i]);
            }
        }
        Throwable callerFailure = null;
        try {
            drain(0, task, numChunks);
        } catch (Throwable t) {
            callerFailure = t;
        }
        while (slots.get(DONE) < workers.length) {
            Thread.onSpinWait();
        }
        this.task = null;
        Throwable workerFailure = failure;
        failure = null;
        rethrow(callerFailure != null ? callerFailure : workerFailure);
    }

    private void drain(int worker, Task t, int n) {
        for (int c = slots.getAndIncrement(NEXT_CHUNK); c < n; c = slots.getAndIncrement(NEXT_CHUNK)) {
            t.run(worker, c);
        }
    }

    private void workLoop(int worker) {
        int seen = 0;
        while (true) {
            int generation = awaitGeneration(worker, seen);
            if (closed) {
                return;
            }
            seen = generation;
            try {
                drain(worker + 1, task, numChunks);
            } catch (Throwable t) {
                failure = t;
            }
            slots.incrementAndGet(DONE);
        }
    }

    /** Spins, then parks, until the generation moves past {@code seen}. */
    private int awaitGeneration(int worker, int seen) {
        long spinStart = System.nanoTime();
        int spins = 0;
        while (true) {
            int generation = slots.get(GENERATION);
            if (generation != seen || closed) {
                return generation;
            }
            if (++spins % 256 != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            // Dekker handshake: we publish PARKED then re-read GENERATION; run() bumps GENERATION
            // then reads PARKED. Both are volatile, so one side sees the other and no wake-up is lost.
            slots.set(PARKED + worker * PAD, 1);
            if (slots.get(GENERATION) == seen && !closed) {
                LockSupport.park(this);
            }
            slots.set(PARKED + worker * PAD, 0);
            spinStart = System.nanoTime();
        }
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("kernel task failed", t);
    }

    /** Stops and joins the workers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        slots.incrementAndGet(GENERATION);
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
