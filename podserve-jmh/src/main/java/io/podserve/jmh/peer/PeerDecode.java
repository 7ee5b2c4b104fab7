package io.podserve.jmh.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * podserve beside Jlama on one checkpoint: greedy decode tokens/s at batch 1 and prefill tokens/s
 * of one prompt, same threads, each engine in its own JVM started by this one (so neither's JIT
 * profile bends the other's), one after the other, then the ratio.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp podserve-jmh/target/podserve-jmh.jar \
 *     io.podserve.jmh.peer.PeerDecode --model DIR [--threads N] [--prompt 128] [--tokens 32]
 * </pre>
 *
 * Each engine runs the same prompt (fixed seed) twice: the first run warms the JIT, the second is
 * timed. NOTE: separate JVMs, not one: both engines drive the same Vector API classes, and one
 * JVM's profile of those call sites would be shaped by whichever engine ran first.
 */
public final class PeerDecode {
    private static final String RESULT = "RESULT ";
    private static final List<String> ENGINES = List.of("podserve", "jlama");

    private PeerDecode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path model = Path.of(require(opts, "--model"));
        int threads = Integer.parseInt(opts.getOrDefault("--threads",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        int promptLength = Integer.parseInt(opts.getOrDefault("--prompt", "128"));
        int tokens = Integer.parseInt(opts.getOrDefault("--tokens", "32"));
        String engine = opts.get("--engine");
        if (engine != null) {
            System.out.println(RESULT + engine + " " + measure(engine, model, threads, promptLength, tokens));
            return;
        }
        System.out.printf("model %s, %d threads, prompt %d tokens, %d decoded tokens%n", model, threads,
                promptLength, tokens);
        Map<String, double[]> results = new LinkedHashMap<>();
        for (String e : ENGINES) {
            results.put(e, child(args, e));
        }
        System.out.printf("%-10s %14s %16s%n", "engine", "prefill tok/s", "decode tok/s");
        results.forEach((e, r) -> System.out.printf("%-10s %14.1f %16.2f%n", e, r[0], r[1]));
        double[] p = results.get("podserve");
        double[] j = results.get("jlama");
        System.out.printf("podserve / jlama: prefill %.2fx, decode %.2fx%n", p[0] / j[0], p[1] / j[1]);
    }

    /** Runs one engine in this JVM: returns "prefillTokensPerSecond decodeTokensPerSecond". */
    private static String measure(String engine, Path model, int threads, int promptLength, int tokens) {
        long t0 = System.nanoTime();
        try (DecodeEngine e = open(engine, model, threads, promptLength + tokens + 1)) {
            System.err.printf("%s loaded in %.1f s%n", engine, (System.nanoTime() - t0) / 1e9);
            if (e instanceof JlamaEngine j) {
                System.err.println(j.describe());
            }
            int vocab = 256; // the byte tokens every synth checkpoint's tokenizer has
            int[] prompt = new SplittableRandom(7).ints(promptLength, 0, vocab).toArray();
            double[] timed = null;
            for (int run = 0; run < 2; run++) {
                timed = run(e, prompt, tokens);
            }
            return timed[0] + " " + timed[1];
        }
    }

    /** One prefill and {@code tokens} decode steps; returns {prefill tok/s, decode tok/s}. */
    private static double[] run(DecodeEngine e, int[] prompt, int tokens) {
        long t0 = System.nanoTime();
        int next = e.prefill(prompt);
        long t1 = System.nanoTime();
        int[] out = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            out[i] = next;
            next = e.decode(next);
        }
        long t2 = System.nanoTime();
        e.reset();
        System.err.printf("%s: prefill %.3f s, decode %.3f s, tokens %s%n", e.name(), (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, Arrays.toString(Arrays.copyOf(out, Math.min(8, tokens))));
        return new double[] {prompt.length / ((t1 - t0) / 1e9), tokens / ((t2 - t1) / 1e9)};
    }

    private static DecodeEngine open(String engine, Path model, int threads, int maxTokens) {
        return switch (engine) {
            case "podserve" -> new PodserveEngine(model, threads, maxTokens);
            case "jlama" -> new JlamaEngine(model, threads);
            default -> throw new IllegalArgumentException("--engine must be one of " + ENGINES + ", got " + engine);
        };
    }

    /** Starts this class for one engine in a fresh JVM with this JVM's flags; returns its result. */
    private static double[] child(String[] args, String engine) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerDecode.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--engine", engine));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        double[] result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(RESULT + engine + " ")) {
                    String[] f = line.substring(RESULT.length() + engine.length() + 1).split(" ");
                    result = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
                } else {
                    System.out.println(line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || result == null) {
            throw new IllegalStateException(engine + " run failed (exit " + rc + "); its error output is above");
        }
        return result;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            opts.put(args[i], args[i + 1]);
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }
}
