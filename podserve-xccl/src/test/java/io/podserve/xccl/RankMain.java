package io.podserve.xccl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One rank of a multi-process test: joins, runs a scenario, exits 0 when every check passed. Arguments:
 * {@code scenario rank worldSize rendezvousDir transport [scenario args]}.
 */
public final class RankMain {

    public static void main(String[] args) throws Exception {
        int rank = Integer.parseInt(args[1]);
        int world = Integer.parseInt(args[2]);
        XcclOptions o = XcclOptions.of(rank, world, Path.of(args[3]))
                .withTransport(XcclOptions.Transport.valueOf(args[4]))
                .withJoinTimeout(Duration.ofSeconds(60));
        try (Communicator c = Xccl.join(o)) {
            switch (args[0]) {
                case "sendrecv" -> sendRecv(c, parseSizes(args[5]));
                case "stream" -> stream(c);
                case "moe" -> io.podserve.xccl.moe.MoeRankScenario.run(c, args[5]);
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        System.out.println("OK");
        System.out.flush();
        System.exit(0);
    }

    private static long[] parseSizes(String csv) {
        return java.util.Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /**
     * Both ranks of a pair send every size to each other at once, tag {@code i % 3}, and receive in another
     * order (tag 2 first, then 1, then 0), so most messages arrive before their receive is posted.
     */
    static void sendRecv(Communicator c, long[] sizes) {
        int peer = 1 - c.rank();
        try (Arena arena = Arena.ofConfined()) {
            List<Request> sends = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                MemorySegment m = arena.allocate(Math.max(1, sizes[i]));
                Patterns.fill(m, sizes[i], 1000L * c.rank() + i);
                sends.add(c.isend(peer, i % 3, m.asSlice(0, sizes[i])));
            }
            for (int tag = 2; tag >= 0; tag--) {
                for (int i = 0; i < sizes.length; i++) {
                    if (i % 3 != tag) {
                        continue;
                    }
                    MemorySegment m = arena.allocate(Math.max(1, sizes[i]));
                    long n = c.recv(peer, tag, m);
                    check(n == sizes[i], "message " + i + ": " + n + " bytes, expected " + sizes[i]);
                    long bad = Patterns.firstMismatch(m, n, 1000L * peer + i);
                    check(bad < 0, "message " + i + " differs at byte " + bad);
                }
            }
            sends.forEach(Request::await);
            burstOfSmallMessages(c, peer, arena);
            c.barrier();
        }
    }

    /**
     * Thousands of 16-byte messages queued at once each way: over TCP the receiver falls behind, pauses
     * reading and must resume it, which once raced into a stall.
     */
    static void burstOfSmallMessages(Communicator c, int peer, Arena arena) {
        int n = 3000;
        MemorySegment out = arena.allocate(16L * n);
        MemorySegment in = arena.allocate(16);
        Patterns.fill(out, 16L * n, 77 + c.rank());
        List<Request> sends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sends.add(c.isend(peer, 9, out, 16L * i, 16));
        }
        MemorySegment want = arena.allocate(16L * n);
        Patterns.fill(want, 16L * n, 77 + peer);
        for (int i = 0; i < n; i++) {
            check(c.recv(peer, 9, in) == 16, "burst message " + i + " size");
            check(in.mismatch(want.asSlice(16L * i, 16)) < 0, "burst message " + i + " content");
        }
        sends.forEach(Request::await);
    }

    /**
     * Rank 1 streams 1 MiB messages to every other rank until it is killed; the others check each message
     * and must end with a {@link PeerFailedException} naming rank 1.
     */
    static void stream(Communicator c) {
        int bytes = 1 << 20;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(bytes);
            if (c.rank() == 1) {
                Patterns.fill(m, bytes, 7);
                for (long i = 0; ; i++) {
                    for (int p = 0; p < c.worldSize(); p++) {
                        if (p != 1) {
                            c.send(p, 0, m);
                        }
                    }
                    if (i == 3) {
                        System.out.println("STREAMING");
                        System.out.flush();
                    }
                }
            }
            try {
                for (long i = 0; ; i++) {
                    m.fill((byte) 0);
                    long n = c.recv(1, 0, m);
                    check(n == bytes && Patterns.firstMismatch(m, n, 7) < 0, "message " + i + " is corrupt");
                }
            } catch (PeerFailedException e) {
                check(e.peer() == 1, "failure names rank " + e.peer() + ", not 1: " + e.getMessage());
                System.out.println("PEER-FAILED " + e.getMessage());
            }
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
