package io.podserve.cli.bench.xccl;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code podserve xccl-bench}: starts the ranks as processes and reports send/recv latency and bandwidth per
 * size, and MoE dispatch/combine time; then the same point-to-point pattern through Aeron IPC; all beside the
 * machine's single-thread memcpy bandwidth.
 */
@Command(name = "xccl-bench", mixinStandardHelpOptions = true,
        description = {"Measure podserve-xccl with ranks as separate processes: one-way latency (p50, p99, half a "
                + "ping-pong round trip) and streaming bandwidth of send/recv between ranks 0 and 1 per message size, "
                + "and MoE dispatch/combine time over all ranks (the slowest rank per step, p50 and p99 over steps). "
                + "The same ping-pong and stream then run through Aeron IPC as the reference, and single-thread "
                + "memcpy bandwidth is measured as the physical limit. Load on the machine makes latencies noisy: "
                + "the load average is printed with the results."})
public final class XcclBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--transport", defaultValue = "shm", paramLabel = "shm|tcp",
            description = "transport between the ranks: shm (shared memory) or tcp (loopback) (default: ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--ranks", defaultValue = "2", paramLabel = "N",
            description = "rank processes for dispatch/combine; send/recv always runs between two (default: ${DEFAULT-VALUE})")
    int ranks;

    @Option(names = "--sizes", defaultValue = "8,64,1024,65536,1048576,4194304,8388608", paramLabel = "BYTES,...",
            description = "message sizes for send/recv, in bytes (default: ${DEFAULT-VALUE})")
    String sizes;

    @Option(names = "--tokens", defaultValue = "64", paramLabel = "N",
            description = "tokens each rank dispatches per step (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--hidden", defaultValue = "2048", paramLabel = "N",
            description = "hidden size of a token row (f32) (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--top-k", defaultValue = "8", paramLabel = "K",
            description = "experts per token (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--experts", paramLabel = "N",
            description = "routed experts, split evenly over the ranks (default: 8 per rank)")
    Integer experts;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "N",
            description = "measured dispatch/combine steps, after a quarter as many warm-up steps; 0 skips MoE (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--quantization", defaultValue = "none", paramLabel = "none|int8",
            description = "dispatched activations as f32 (none) or int8 with a per-row scale (default: ${DEFAULT-VALUE})")
    String quantization;

    @Option(names = "--slots", defaultValue = "64", paramLabel = "N",
            description = "slots per sender ring in shared memory, a power of two (default: ${DEFAULT-VALUE})")
    int numSlots;

    @Option(names = "--slot-bytes", defaultValue = "65536", paramLabel = "BYTES",
            description = "bytes per slot, the chunk size of shared memory and TCP, a power of two (default: ${DEFAULT-VALUE})")
    int slotBytes;

    @Option(names = "--no-aeron", description = "skip the Aeron IPC reference")
    boolean noAeron;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "give up on a run that takes longer (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        long[] sizeList = BenchPlan.parseSizes(sizes);
        out.printf("machine: %d cores, %s, JDK %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), Runtime.version(), loadAverage());
        double memcpyLarge = Memcpy.bytesPerSecond(256L << 20);
        out.printf("memcpy (one thread, MemorySegment.copy of 256 MiB): %.2f GB/s%n", memcpyLarge / 1e9);
        out.flush();

        // Two ranks for send/recv, so idle ranks waking to poll do not steal the cores the pair ping-pongs on.
        printP2p(out, "xccl " + transport + " send/recv, rank 0 -> rank 1 (2 rank processes)",
                runXccl(2, sizes, 0), memcpyLarge);
        out.flush();
        if (steps > 0) {
            runXccl(ranks, BenchPlan.NO_SIZES, steps).stream().filter(l -> l.startsWith("RESULT moe "))
                    .findFirst().ifPresent(l -> printMoe(out, l));
            out.flush();
        }
        if (!noAeron) {
            printP2p(out, "Aeron IPC (aeron:ipc, default term and MTU), 2 processes", runAeron(), memcpyLarge);
        }
        out.printf("load average after: %s%n", loadAverage());
        out.flush();
        return 0;
    }

    private void validate() {
        if (!transport.equals("shm") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("--transport must be shm or tcp, got " + transport);
        }
        if (ranks < 2) {
            throw new IllegalArgumentException("--ranks must be at least 2, got " + ranks);
        }
        io.podserve.xccl.shm.MailboxDescriptor.checkGeometry(numSlots, slotBytes);
        if (!quantization.equals("none") && !quantization.equals("int8")) {
            throw new IllegalArgumentException("--quantization must be none or int8, got " + quantization);
        }
        for (long s : BenchPlan.parseSizes(sizes)) {
            if (s < 1 || s > (1L << 30)) {
                throw new IllegalArgumentException("message sizes must be 1 byte .. 1 GiB, got " + s);
            }
        }
    }

    private List<String> runXccl(int numRanks, String sizeList, int numSteps) throws Exception {
        Path dir = Files.createTempDirectory("xccl-bench");
        int numExperts = experts != null ? experts : 8 * numRanks;
        try (PeerProcesses peers = new PeerProcesses()) {
            for (int r = 0; r < numRanks; r++) {
                peers.start(XcclBenchRank.class, List.of(String.valueOf(r), String.valueOf(numRanks), dir.toString(),
                        transport.toUpperCase(Locale.ROOT), sizeList, String.valueOf(tokens), String.valueOf(hidden),
                        String.valueOf(topK), String.valueOf(numExperts), String.valueOf(numSteps),
                        quantization.toUpperCase(Locale.ROOT), String.valueOf(numSlots), String.valueOf(slotBytes)));
            }
            return peers.awaitResults(timeoutSeconds);
        } finally {
            deleteTree(dir);
        }
    }

    private List<String> runAeron() throws Exception {
        Path dir = Path.of("/dev/shm", "aeron-podserve-" + ProcessHandle.current().pid());
        MediaDriver.Context ctx = new MediaDriver.Context().aeronDirectoryName(dir.toString())
                .threadingMode(ThreadingMode.SHARED)
                // IPC data never passes through the driver; a sleeping conductor leaves both cores to the peers.
                .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true);
        try (MediaDriver driver = MediaDriver.launch(ctx); PeerProcesses peers = new PeerProcesses()) {
            for (int p = 0; p < 2; p++) {
                peers.start(AeronBenchPeer.class, List.of(String.valueOf(p), dir.toString(), sizes));
            }
            return peers.awaitResults(timeoutSeconds);
        }
    }

    private static void printP2p(PrintWriter out, String title, List<String> results, double memcpyLarge) {
        out.println();
        out.println(title);
        out.printf("%12s %14s %14s %16s %12s %18s%n", "size", "p50 one-way", "p99 one-way", "bandwidth",
                "% memcpy", "memcpy at size");
        for (String line : results) {
            String[] f = line.split(" ");
            if (!f[1].equals("p2p")) {
                continue;
            }
            long size = Long.parseLong(f[2]);
            long p50 = Long.parseLong(f[3]);
            if (p50 < 0) {
                out.printf("%12s %14s%n", bytes(size), "over the max message length");
                continue;
            }
            double bw = Long.parseLong(f[5]);
            double memcpyAtSize = Memcpy.bytesPerSecond(size);
            out.printf("%12s %11.2f us %11.2f us %11.3f GB/s %11.0f%% %13.2f GB/s%n", bytes(size), p50 / 1e3,
                    Long.parseLong(f[4]) / 1e3, bw / 1e9, 100 * bw / memcpyLarge, memcpyAtSize / 1e9);
        }
    }

    private void printMoe(PrintWriter out, String line) {
        String[] f = line.split(" ");
        int numExperts = experts != null ? experts : 8 * ranks;
        out.println();
        out.printf("dispatch/combine: %d ranks x %d tokens x hidden %d x top-%d of %d experts, %s activations%n",
                ranks, tokens, hidden, topK, numExperts, quantization.equals("int8") ? "int8" : "f32");
        out.printf("  dispatch p50 %.3f ms, p99 %.3f ms; combine p50 %.3f ms, p99 %.3f ms (slowest rank per step)%n",
                Long.parseLong(f[2]) / 1e6, Long.parseLong(f[3]) / 1e6, Long.parseLong(f[4]) / 1e6,
                Long.parseLong(f[5]) / 1e6);
    }

    private static String bytes(long n) {
        if (n >= (1 << 20) && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
