package io.podserve.xccl;

import io.podserve.xccl.shm.ShmMailbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class JoinTest {

    @TempDir
    Path dir;

    @Test
    void aRankThatNeverAppearsIsACleanErrorNamingIt() throws Exception {
        Path shm = Files.createDirectories(dir.resolve("shm"));
        XcclOptions o = new XcclOptions(0, 3, dir.resolve("rendezvous"), XcclOptions.Transport.SHM,
                Duration.ofMillis(300), 4, 4096, Duration.ofSeconds(5), "127.0.0.1", shm);
        XcclException e = assertThrows(XcclException.class, () -> Xccl.join(o));
        assertTrue(e.getMessage().contains("rank(s) [1, 2] of 3 did not appear"), e.getMessage());
        try (Stream<Path> left = Files.list(shm)) {
            assertEquals(0, left.count(), "the failed join removed its mailbox");
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
