package io.podserve.cli.bench.xccl;

import io.podserve.xccl.Communicator;
import io.podserve.xccl.Request;
import io.podserve.xccl.Xccl;
import io.podserve.xccl.XcclOptions;
import io.podserve.xccl.moe.MoeExchange;
import io.podserve.xccl.moe.MoeShape;
import io.podserve.xccl.moe.SyntheticBatch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One rank of {@code xccl-bench}, run as its own process. Ranks 0 and 1 measure point-to-point latency and
 * bandwidth per size (the launcher starts only those two for it); then every rank runs MoE dispatch/combine
 * steps. Rank 0 prints {@code RESULT} lines for the launcher.
 *
 * <p>Arguments: {@code rank worldSize rendezvousDir SHM|TCP sizes tokens hidden topK experts steps NONE|INT8
 * numSlots slotBytes}.
 */
public final class XcclBenchRank {

    private static final long TAG = 1;

    public static void main(String[] args) throws Exception {
        int rank = Integer.parseInt(args[0]);
        int world = Integer.parseInt(args[1]);
        XcclOptions o = XcclOptions.of(rank, world, Path.of(args[2]))
                .withTransport(XcclOptions.Transport.valueOf(args[3]))
                .withSlots(Integer.parseInt(args[11]), Integer.parseInt(args[12]));
        long[] sizes = BenchPlan.parseSizes(args[4]);
        MoeShape shape = new MoeShape(Integer.parseInt(args[6]), Integer.parseInt(args[7]),
                Integer.parseInt(args[8]), Integer.parseInt(args[5]), MoeShape.Quantization.valueOf(args[10]));
        int steps = Integer.parseInt(args[9]);
        try (Communicator c = Xccl.join(o); Arena arena = Arena.ofConfined()) {
            if (world >= 2 && rank < 2 && sizes.length > 0) {
                long max = java.util.Arrays.stream(sizes).max().orElse(8);
                MemorySegment buf = arena.allocate(Math.max(8, max), 4096);
                for (long size : sizes) {
                    pointToPoint(c, buf, size);
                }
            }
            c.barrier();
            if (steps > 0) {
                moe(c, shape, steps, arena);
            }
            c.barrier();
        }
        System.out.flush();
        System.exit(0);
    }

    private static void pointToPoint(Communicator c, MemorySegment buf, long size) {
        int peer = 1 - c.rank();
        pingPong(c, peer, buf, size, BenchPlan.warmupRoundTrips(size), null);
        int n = BenchPlan.roundTrips(size);
        long[] rtt = new long[n];
        pingPong(c, peer, buf, size, n, rtt);
        double bytesPerSecond = stream(c, peer, buf, size);
        if (c.rank() == 0) {
            System.out.println(BenchPlan.p2pLine(size, BenchPlan.quantile(rtt, n, 0.5) / 2,
                    BenchPlan.quantile(rtt, n, 0.99) / 2, bytesPerSecond));
        }
    }

    /** Rank 0 sends and waits for the echo; rank 1 echoes. Records round trips in {@code rtt} if given. */
    private static void pingPong(Communicator c, int peer, MemorySegment buf, long size, int n, long[] rtt) {
        for (int i = 0; i < n; i++) {
            if (c.rank() == 0) {
                long t0 = System.nanoTime();
                c.isend(peer, TAG, buf, 0, size).await();
                c.irecv(peer, TAG, buf, 0, size).await();
                if (rtt != null) {
                    rtt[i] = System.nanoTime() - t0;
                }
            } else {
                c.irecv(peer, TAG, buf, 0, size).await();
                c.isend(peer, TAG, buf, 0, size).await();
            }
        }
    }

    /** Rank 0 streams messages with a window of sends in flight; rank 1 receives them all, then acknowledges. */
    private static double stream(Communicator c, int peer, MemorySegment buf, long size) {
        int n = BenchPlan.streamMessages(size);
        Request[] window = new Request[BenchPlan.STREAM_WINDOW];
        c.barrier();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int w = i % window.length;
            if (window[w] != null) {
                window[w].await();
            }
            // The receiver reuses one buffer: the bytes are overwritten, which is all a bandwidth test needs.
            window[w] = c.rank() == 0 ? c.isend(peer, TAG, buf, 0, size) : c.irecv(peer, TAG, buf, 0, size);
        }
        for (int w = 0; w < window.length; w++) {
            if (window[w] != null) {
                window[w].await();
            }
        }
        if (c.rank() == 0) {
            c.irecv(peer, TAG, buf, 0, 8).await();
        } else {
            c.isend(peer, TAG, buf, 0, 8).await();
        }
        return (double) n * size / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * MoE steps with random distinct top-k routing; the "experts" copy their input so only communication is
     * timed. Each step's dispatch and combine time is the slowest rank's; rank 0 prints p50 and p99 over steps.
     */
    private static void moe(Communicator c, MoeShape shape, int steps, Arena arena) {
        int tokens = shape.maxTokens();
        int hidden = shape.hidden();
        MemorySegment x = arena.allocate(JAVA_FLOAT, (long) tokens * hidden);
        MemorySegment ids = arena.allocate(JAVA_INT, (long) tokens * shape.topK());
        MemorySegment gates = arena.allocate(JAVA_FLOAT, (long) tokens * shape.topK());
        MemorySegment out = arena.allocate(JAVA_FLOAT, (long) tokens * hidden);
        MemorySegment mine = arena.allocate(JAVA_LONG, 2);
        MemorySegment all = arena.allocate(JAVA_LONG, 2L * c.worldSize());
        SplittableRandom rnd = new SplittableRandom(31 + c.rank());
        int warmup = Math.max(3, steps / 4);
        long[] dispatchNs = new long[steps];
        long[] combineNs = new long[steps];
        try (MoeExchange moe = new MoeExchange(c, shape)) {
            for (int step = -warmup; step < steps; step++) {
                SyntheticBatch.fill(rnd, shape, tokens, x, ids, gates);
                c.barrier();
                long t0 = System.nanoTime();
                moe.dispatch(x, tokens, ids, gates);
                long t1 = System.nanoTime();
                moe.combine(moe.receivedRows(), out);
                long t2 = System.nanoTime();
                mine.setAtIndex(JAVA_LONG, 0, t1 - t0);
                mine.setAtIndex(JAVA_LONG, 1, t2 - t1);
                c.allGather(mine, all);
                if (step >= 0) {
                    for (int r = 0; r < c.worldSize(); r++) {
                        dispatchNs[step] = Math.max(dispatchNs[step], all.getAtIndex(JAVA_LONG, 2L * r));
                        combineNs[step] = Math.max(combineNs[step], all.getAtIndex(JAVA_LONG, 2L * r + 1));
                    }
                }
            }
        }
        if (c.rank() == 0) {
            System.out.println("RESULT moe " + BenchPlan.quantile(dispatchNs, steps, 0.5) + " "
                    + BenchPlan.quantile(dispatchNs, steps, 0.99) + " " + BenchPlan.quantile(combineNs, steps, 0.5)
                    + " " + BenchPlan.quantile(combineNs, steps, 0.99));
        }
    }
}
