package io.podserve.cli.bench.xccl;

import java.util.Arrays;

/**
 * What each peer of a point-to-point benchmark does per message size, shared by the xccl ranks and the Aeron
 * peers so both run exactly the same pattern: {@link #roundTrips} ping-pongs (latency), then
 * {@link #streamMessages} back-to-back messages followed by one 8-byte acknowledgement (bandwidth).
 */
final class BenchPlan {

    /** Messages in flight while streaming: enough to keep the ring full, few enough to stay allocation-free. */
    static final int STREAM_WINDOW = 8;

    private BenchPlan() {
    }

    static int roundTrips(long size) {
        return (int) Math.clamp((64L << 20) / Math.max(1, size), 50, 20_000);
    }

    static int streamMessages(long size) {
        return (int) Math.clamp((1L << 30) / Math.max(1, size), 64, 200_000);
    }

    /** Warm-up ping-pongs before each measured size: the JIT compiles the paths first. */
    static int warmupRoundTrips(long size) {
        return Math.max(10, roundTrips(size) / 4);
    }

    /** The size list that skips send/recv (a dispatch/combine-only run). */
    static final String NO_SIZES = "none";

    static long[] parseSizes(String csv) {
        if (csv.equals(NO_SIZES)) {
            return new long[0];
        }
        return Arrays.stream(csv.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
    }

    /** The {@code q}-quantile (0..1) of {@code values[0..n)}, sorting them in place. */
    static long quantile(long[] values, int n, double q) {
        Arrays.sort(values, 0, n);
        return values[Math.min(n - 1, (int) Math.floor(q * n))];
    }

    /** One result line a peer prints for the launcher: {@code RESULT p2p size p50ns p99ns bytesPerSecond}. */
    static String p2pLine(long size, long p50OneWayNanos, long p99OneWayNanos, double bytesPerSecond) {
        return "RESULT p2p " + size + " " + p50OneWayNanos + " " + p99OneWayNanos + " " + (long) bytesPerSecond;
    }
}
