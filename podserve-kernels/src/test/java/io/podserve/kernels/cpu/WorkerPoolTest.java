package io.podserve.kernels.cpu;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerPoolTest {
    @Test
    void everyChunkRunsExactlyOncePerCall() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(64);
            for (int call = 0; call < 20_000; call++) {
                int numChunks = call % 64 + 1;
                pool.run((worker, chunk) -> counts.incrementAndGet(chunk), numChunks);
                if (call % 5_000 == 0) {
                    Thread.sleep(1); // let workers park now and then: wake-ups must not be lost
                }
            }
            int expectedTotal = 0;
            for (int c = 0; c < 64; c++) {
                int expected = 0;
                for (int call = 0; call < 20_000; call++) {
                    expected += call % 64 + 1 > c ? 1 : 0;
                }
                assertEquals(expected, counts.get(c), "chunk " + c);
                expectedTotal += expected;
            }
            assertEquals(expectedTotal, sum(counts));
        }
    }

    @Test
    void returnsOnceEveryChunkIsDoneAndLateWorkersRunNothingStale() {
        // More workers than this machine has cores: some are always waiting for one, the case where a caller
        // goes on without them. Each call has its own marks; a stale task running late would mark an old call.
        try (WorkerPool pool = new WorkerPool(Runtime.getRuntime().availableProcessors() + 3)) {
            int calls = 5_000;
            AtomicIntegerArray[] marks = new AtomicIntegerArray[calls];
            AtomicIntegerArray busy = new AtomicIntegerArray(pool.numThreads());
            for (int call = 0; call < calls; call++) {
                AtomicIntegerArray m = marks[call] = new AtomicIntegerArray(call % 29 + 2);
                pool.run((worker, chunk) -> {
                    assertEquals(1, busy.incrementAndGet(worker), "worker " + worker + " ran two chunks at once");
                    m.incrementAndGet(chunk);
                    busy.decrementAndGet(worker);
                }, m.length());
                assertEquals(m.length(), sum(m), "call " + call + " returned before all its chunks ran");
            }
            for (int call = 0; call < calls; call++) {
                for (int c = 0; c < marks[call].length(); c++) {
                    assertEquals(1, marks[call].get(c), "call " + call + " chunk " + c);
                }
            }
        }
    }

    @Test
    void wakesParkedWorkers() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(8);
            Thread.sleep(WorkerPool.SPIN_NANOS / 1_000_000 + 20); // the worker parks
            pool.run((worker, chunk) -> counts.incrementAndGet(chunk), 8);
            assertEquals(8, sum(counts));
        }
    }

    @Test
    void taskFailureReachesTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(IllegalStateException.class, () -> pool.run((worker, chunk) -> {
                if (chunk == 5) {
                    throw new IllegalStateException("chunk 5");
                }
            }, 16));
            AtomicIntegerArray counts = new AtomicIntegerArray(16);
            pool.run((worker, chunk) -> counts.incrementAndGet(chunk), 16);
            assertEquals(16, sum(counts));
        }
    }

    @Test
    void singleThreadPoolRunsInline() {
        try (WorkerPool pool = new WorkerPool(1)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(4);
            pool.run((worker, chunk) -> counts.incrementAndGet(chunk), 4);
            assertEquals(4, sum(counts));
            assertEquals(1, pool.numThreads());
        }
    }

    private static int sum(AtomicIntegerArray a) {
        int s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }
}
