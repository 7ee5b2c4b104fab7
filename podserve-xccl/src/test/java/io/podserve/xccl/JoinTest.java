package io.podserve.xccl;

import io.podserve.xccl.shm.ShmMailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class JoinTest {

    @TempDir
    Path dir;

    @Test
    void aRankThatNeverAppearsIsACleanErrorNamingIt() throws Exception {
        Path shm = Files.createDirectories(dir.resolve("shm"));
        XcclOptions o = new XcclOptions(0, 3, dir.resolve("rendezvous"), null, XcclOptions.Transport.SHM,
                Duration.ofMillis(300), 4, 4096, Duration.ofSeconds(5), "127.0.0.1", shm);
        XcclException e = assertThrows(XcclException.class, () -> Xccl.join(o));
        assertTrue(e.getMessage().contains("rank(s) [1, 2] of 3 did not appear"), e.getMessage());
        try (Stream<Path> left = Files.list(shm)) {
            assertEquals(0, left.count(), "the failed join removed its mailbox");
        }
    }

    @Test
    void threeRanksMeetThroughRankZerosAddressAndExchangeAMessage() throws Exception {
        InetSocketAddress rank0 = new InetSocketAddress("127.0.0.1", freePort());
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<Long>> got = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                int rank = r;
                got.add(pool.submit(() -> {
                    XcclOptions o = XcclOptions.of(rank, 3, rank0).withTransport(XcclOptions.Transport.SHM)
                            .withSlots(4, 4096).withJoinTimeout(Duration.ofSeconds(20));
                    try (Communicator c = Xccl.join(o); Arena arena = Arena.ofConfined()) {
                        MemorySegment m = arena.allocate(ValueLayout.JAVA_LONG);
                        m.set(ValueLayout.JAVA_LONG, 0, 100 + rank);
                        Request send = c.isend((rank + 1) % 3, 0, m);
                        MemorySegment in = arena.allocate(ValueLayout.JAVA_LONG);
                        c.recv((rank + 2) % 3, 0, in);
                        send.await();
                        c.barrier();
                        return in.get(ValueLayout.JAVA_LONG, 0);
                    }
                }));
            }
            for (int r = 0; r < 3; r++) {
                assertEquals(100 + (r + 2) % 3, got.get(r).get(), "rank " + r + " got its left neighbour's value");
            }
        }
    }

    @Test
    void rankZeroAloneTimesOutNamingTheMissingRanks() throws Exception {
        XcclOptions o = XcclOptions.of(0, 2, new InetSocketAddress("127.0.0.1", freePort()))
                .withTransport(XcclOptions.Transport.SHM).withSlots(4, 4096).withJoinTimeout(Duration.ofMillis(300));
        XcclException e = assertThrows(XcclException.class, () -> Xccl.join(o));
        assertTrue(e.getMessage().contains("rank(s) [1] of 2 did not reach rank 0"), e.getMessage());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void mailboxesOfDeadProcessesAreRemovedAtTheNextStart() throws Exception {
        long deadPid = deadPid();
        Path stale = Files.createFile(dir.resolve(ShmMailbox.PREFIX + deadPid + "-0-abc"));
        Path live = Files.createFile(dir.resolve(ShmMailbox.PREFIX + ProcessHandle.current().pid() + "-1-abc"));
        Path other = Files.createFile(dir.resolve("not-ours"));
        assertEquals(1, ShmMailbox.removeStale(dir));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other));
    }

    /** A pid no process has: one that just exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void optionsAreCheckedUpFront() {
        Path d = Path.of("unused");
        assertThrows(IllegalArgumentException.class, () -> XcclOptions.of(2, 2, d));
        assertThrows(IllegalArgumentException.class, () -> XcclOptions.of(0, 2, d).withSlots(3, 4096));
    }
}
