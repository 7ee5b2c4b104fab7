package io.podserve.xccl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Ranks as separate JVMs over shared memory and TCP. */
class MultiProcessTest {

    static final String SIZES_SHM = "1,2,100,4095,65536,65537,1048579,8388608,67108864";
    static final String SIZES_TCP = "1,100,65535,65536,1048579,8388608";

    @TempDir
    Path dir;

    private static void assertAllSucceed(RankProcesses ranks, int worldSize, long seconds) throws Exception {
        for (int r = 0; r < worldSize; r++) {
            int code = ranks.await(r, seconds);
            assertEquals(0, code, "rank " + r + " exit code (-1: still running)\n" + ranks.allOutput());
        }
    }

    /** Sizes 1 B to 64 MiB over shared memory (to 8 MiB over TCP), both directions at once, tags interleaved. */
    @ParameterizedTest
    @CsvSource({"SHM, '" + SIZES_SHM + "'", "TCP, '" + SIZES_TCP + "'"})
    @Timeout(120)
    void sendRecvWithInterleavedTags(String transport, String sizes) throws Exception {
        try (RankProcesses ranks = new RankProcesses(dir)) {
            ranks.start("sendrecv", 2, transport, sizes);
            assertAllSucceed(ranks, 2, 100);
        }
        assertNoMailboxesOfOurs();
    }

    /** Random routing over 2, 4 and 8 ranks (JVMs), against the direct computation; int8 within its bound. */
    @ParameterizedTest
    @CsvSource({"2, '64,2,8,33,NONE,5'", "4, '64,4,16,33,INT8,5'", "8, '40,8,32,24,NONE,4'", "8, '40,8,32,24,INT8,3'"})
    @Timeout(120)
    void dispatchCombineAcrossProcesses(int worldSize, String spec) throws Exception {
        try (RankProcesses ranks = new RankProcesses(dir)) {
            ranks.start("moe", worldSize, "SHM", spec);
            assertAllSucceed(ranks, worldSize, 110);
        }
    }

    @ParameterizedTest
    @CsvSource({"SHM", "TCP"})
    @Timeout(120)
    void killingARankMidTransferFailsTheOthersNamingItWithinFiveSeconds(String transport) throws Exception {
        try (RankProcesses ranks = new RankProcesses(dir)) {
            ranks.start("stream", 3, transport);
            assertTrue(ranks.awaitOutput(1, "STREAMING", 90), "rank 1 never streamed\n" + ranks.allOutput());
            ranks.processes.get(1).destroyForcibly();
            long killedAt = System.nanoTime();
            for (int r : new int[]{0, 2}) {
                long left = Math.max(1, 5 - (System.nanoTime() - killedAt) / 1_000_000_000L);
                assertEquals(0, ranks.await(r, left), "rank " + r + " within 5 s of the kill\n" + ranks.allOutput());
                assertTrue(ranks.output(r).contains("PEER-FAILED rank 1 failed"), ranks.output(r));
            }
        }
        assertNoMailboxesOfOurs();
    }

    /** Every mailbox is unlinked once all ranks have mapped it, so a finished or killed group leaves none. */
    private static void assertNoMailboxesOfOurs() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            long mine = files.filter(f -> f.getFileName().toString().startsWith("xccl-"))
                    .filter(f -> !ProcessHandleAlive.of(f)).count();
            assertEquals(0, mine, "stale xccl mailboxes in /dev/shm");
        }
    }

    /** A mailbox whose owner still runs belongs to someone else's test; only dead owners' files count. */
    private static final class ProcessHandleAlive {
        static boolean of(Path f) {
            String name = f.getFileName().toString();
            long pid = Long.parseLong(name.substring(5, name.indexOf('-', 5)));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
