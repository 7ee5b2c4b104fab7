package io.podserve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/** {@code xccl-bench} end to end on a tiny grid (rank processes included), and its argument errors. */
class XcclBenchCliTest {

    @Test
    @Timeout(180)
    void tinyRunPrintsSendRecvAndDispatchCombineRows() {
        CliTest.Result r = CliTest.run("xccl-bench", "--ranks", "2", "--sizes", "8,65536", "--tokens", "4",
                "--hidden", "32", "--top-k", "2", "--steps", "4", "--no-aeron");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("memcpy (one thread"), r.out());
        assertTrue(r.out().contains("xccl shm send/recv"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("8 B ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("64 KiB ")), r.out());
        assertTrue(r.out().contains("dispatch p50"), r.out());
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        CliTest.Result r = CliTest.run("xccl-bench", "--transport", "udp");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--transport must be shm or tcp"), r.err());
        r = CliTest.run("xccl-bench", "--ranks", "1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--ranks must be at least 2"), r.err());
    }
}
