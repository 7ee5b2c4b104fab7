package io.podserve.xccl;

import io.podserve.xccl.inproc.InProcessGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
public class InProcessCommunicatorTest {

    /** Runs {@code body} on one thread per rank of an in-process group and rethrows the first failure. */
    public static void runRanks(int worldSize, int numSlots, int slotBytes, Consumer<Communicator> body) throws Exception {
        try (InProcessGroup group = new InProcessGroup(worldSize, numSlots, slotBytes);
             ExecutorService pool = Executors.newFixedThreadPool(worldSize)) {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < worldSize; r++) {
                Communicator c = group.communicator(r);
                done.add(pool.submit(() -> {
                    try (c) {
                        body.accept(c);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    @Test
    void interleavedTagsAndSizesArriveIntact() throws Exception {
        long[] sizes = {0, 1, 7, 4096, 4097, 65_536, 300_001, 2 << 20};
        runRanks(2, 4, 4096, c -> {
            try (Arena arena = Arena.ofConfined()) {
                if (c.rank() == 0) {
                    List<Request> sends = new ArrayList<>();
                    for (int i = 0; i < sizes.length; i++) {
                        MemorySegment m = arena.allocate(Math.max(1, sizes[i]));
                        Patterns.fill(m, sizes[i], i);
                        sends.add(c.isend(1, i % 3, m.asSlice(0, sizes[i])));
                    }
                    sends.forEach(Request::await);
                } else {
                    // Receives posted in reverse tag order: tag 2's messages first, so tags 0 and 1 arrive unexpected.
                    List<Integer> order = new ArrayList<>();
                    for (int tag = 2; tag >= 0; tag--) {
                        for (int i = 0; i < sizes.length; i++) {
                            if (i % 3 == tag) {
                                order.add(i);
                            }
                        }
                    }
                    for (int i : order) {
                        MemorySegment m = arena.allocate(sizes[i] + 16);
                        long n = c.recv(0, i % 3, m);
                        assertEquals(sizes[i], n, "size of message " + i);
                        assertEquals(-1, Patterns.firstMismatch(m, n, i), "content of message " + i);
                    }
                }
            }
        });
    }

    @Test
    void messageLargerThanTheReceiveBufferIsAClearError() throws Exception {
        runRanks(2, 4, 4096, c -> {
            try (Arena arena = Arena.ofConfined()) {
                if (c.rank() == 0) {
                    c.send(1, 5, arena.allocate(10_000));
                    c.send(1, 6, arena.allocate(8));
                } else {
                    XcclException e = assertThrows(XcclException.class, () -> c.recv(0, 5, arena.allocate(100)));
                    assertTrue(e.getMessage().contains("10000 bytes from rank 0"), e.getMessage());
                    assertEquals(8, c.recv(0, 6, arena.allocate(8)), "the stream goes on after the bad message");
                }
            }
        });
    }

    @Test
    void allGatherAndBarrierOverFourRanks() throws Exception {
        runRanks(4, 4, 4096, c -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mine = arena.allocate(8);
                MemorySegment all = arena.allocate(8 * 4);
                for (int round = 0; round < 50; round++) {
                    mine.set(ValueLayout.JAVA_LONG, 0, 100L * c.rank() + round);
                    c.allGather(mine, all);
                    for (int r = 0; r < 4; r++) {
                        assertEquals(100L * r + round, all.get(ValueLayout.JAVA_LONG, 8L * r));
                    }
                    c.barrier();
                }
            }
        });
    }

    @Test
    void aPeerThatClosesFailsPendingReceivesNamingIt() throws Exception {
        runRanks(3, 4, 4096, c -> {
            try (Arena arena = Arena.ofConfined()) {
                if (c.rank() == 2) {
                    c.send(0, 1, arena.allocate(16));   // delivered even though rank 2 then leaves
                    return;
                }
                if (c.rank() == 0) {
                    assertEquals(16, c.recv(2, 1, arena.allocate(16)));
                    PeerFailedException e = assertThrows(PeerFailedException.class,
                            () -> c.recv(2, 1, arena.allocate(16)));
                    assertEquals(2, e.peer());
                    assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
                }
            }
        });
    }

    @Test
    void negativeTagsAreRefused() throws Exception {
        runRanks(1, 2, 64, c -> assertThrows(IllegalArgumentException.class,
                () -> c.isend(0, -1, MemorySegment.NULL)));
    }
}
