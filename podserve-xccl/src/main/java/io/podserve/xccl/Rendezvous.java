package io.podserve.xccl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Rendezvous through a shared directory: each rank writes {@code rank-<i>.properties} atomically (write,
 * then rename) and waits until all ranks' files are there. An entry left by a dead process of an earlier
 * run on this host is ignored, so reusing a directory is safe.
 */
final class Rendezvous {

    private Rendezvous() {
    }

    static Path entry(Path dir, int rank) {
        return dir.resolve("rank-" + rank + ".properties");
    }

    /** Publishes {@code me} and returns every rank's entry, indexed by rank. */
    static List<PeerInfo> exchange(Path dir, PeerInfo me, int worldSize, Duration timeout) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".rank-" + me.rank() + "." + me.pid() + ".tmp");
            Files.writeString(tmp, me.toProperties());
            Files.move(tmp, entry(dir, me.rank()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new XcclException("cannot write rendezvous entry in " + dir + ": " + e.getMessage(), e);
        }
        String localHost = me.host();
        PeerInfo[] found = new PeerInfo[worldSize];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int missing = -1;
            for (int r = 0; r < worldSize; r++) {
                if (found[r] == null) {
                    found[r] = read(dir, r, localHost);
                }
                if (found[r] == null && missing < 0) {
                    missing = r;
                }
            }
            if (missing < 0) {
                return List.of(found);
            }
            if (System.nanoTime() - deadline > 0) {
                List<Integer> absent = new ArrayList<>();
                for (int r = 0; r < worldSize; r++) {
                    if (found[r] == null) {
                        absent.add(r);
                    }
                }
                throw new XcclException("rank(s) " + absent + " of " + worldSize + " did not appear in " + dir
                        + " within " + timeout.toMillis() + " ms (rank " + me.rank() + " waited for them)");
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    private static PeerInfo read(Path dir, int rank, String localHost) {
        try {
            PeerInfo p = PeerInfo.fromProperties(Files.readString(entry(dir, rank)));
            boolean stale = p.isOnHost(localHost)
                    && !ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false);
            return stale ? null : p;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new XcclException("cannot read rendezvous entry of rank " + rank + " in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Removes this rank's entry once every peer has read it. */
    static void withdraw(Path dir, int rank) {
        try {
            Files.deleteIfExists(entry(dir, rank));
        } catch (IOException e) {
            // Harmless: a later run ignores an entry whose process is gone.
        }
    }
}
