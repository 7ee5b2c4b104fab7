package io.podserve.kernels.cpu;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads and a parallel-for over chunk indices, cheap enough to call
 * thousands of times a second (a decode step's matmuls): no task objects, no queues, no allocation
 * per call. The caller publishes a {@link Task} and a chunk count under a new generation; workers and
 * the caller claim chunks from one counter tagged with that generation; the caller returns once every
 * chunk has <em>completed</em>. Idle workers spin for {@link #SPIN_NANOS} before parking, so
 * back-to-back calls find them awake.
 *
 * <p>NOTE: the caller waits for chunks, not for workers. A worker that the OS has not scheduled yet
 * (another process's thread holds its core: a bench client, HTTP threads) claims nothing and holds no
 * one up; the caller and the others run its share. Waiting for every worker to check in instead made
 * each such preemption stall the whole call until the worker got a core back, which measured as 15%
 * slower decode steps when a server's threads shared the 2 cores (docs/benchmarks.md, issue 4).
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
    // lines: workers spin on GENERATION while COMPLETED is hammered.
    private static final int PAD = 16;
    private static final int GENERATION = PAD;
    private static final int COMPLETED = 2 * PAD;
    private static final int PARKED = 3 * PAD; // PARKED + worker * PAD: 1 while that worker is parked

    private static final int TICKET = PAD;

    private final AtomicIntegerArray slots;
    /** At TICKET: (generation << 32) | next chunk; a claim succeeds only for the generation its claimer read. */
    private final AtomicLongArray ticket = new AtomicLongArray(2 * PAD);
    private final Thread[] workers;
    // Double-buffered by generation parity: the caller writes generation g + 1's entry while a late worker
    // may still read g's; g - 1's entry is rewritten only once the ticket has moved past g - 1, so a worker
    // holding a stale task fails its claim (see claimAndRun).
    private final Task[] tasks = new Task[2];
    private final int[] chunkCounts = new int[2];
    private int generation; // the caller's copy
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
        int g = ++generation;
        tasks[g & 1] = task;
        chunkCounts[g & 1] = numChunks;
        slots.set(COMPLETED, 0);
        ticket.set(TICKET, (long) g << 32);
        slots.set(GENERATION, g); // publishes the entry above
        for (int i = 0; i < workers.length; i++) {
            if (slots.get(PARKED + i * PAD) != 0) {
                LockSupport.unpark(workers[i]);
            }
        }
        claimAndRun(g, 0, task, numChunks);
        while (slots.get(COMPLETED) < numChunks) {
            Thread.onSpinWait();
        }
        Throwable f = failure;
        failure = null;
        rethrow(f);
    }

    /**
     * Claims and runs chunks of generation {@code g} until none is left or the pool has moved on. A failed chunk
     * still counts as completed (the first failure is kept for the caller) so that the caller never waits for a
     * chunk nobody will run.
     */
    private void claimAndRun(int g, int worker, Task t, int n) {
        while (true) {
            long cur = ticket.get(TICKET);
            int chunk = (int) cur;
            if ((int) (cur >>> 32) != g || chunk >= n) {
                return;
            }
            if (!ticket.compareAndSet(TICKET, cur, cur + 1)) {
                continue;
            }
            try {
                t.run(worker, chunk);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                slots.incrementAndGet(COMPLETED);
            }
        }
    }

    private void workLoop(int worker) {
        int seen = 0;
        while (true) {
            int g = awaitGeneration(worker, seen);
            if (closed) {
                return;
            }
            seen = g;
            claimAndRun(g, worker + 1, tasks[g & 1], chunkCounts[g & 1]);
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
