package io.podserve.cli.bench.xccl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark peers as child processes: this JVM's java binary, flags and classpath, another main class. Each
 * child's stdout is collected (they print a few {@code RESULT} lines), stderr goes to ours. Closing kills any
 * child still running, so a failed or interrupted benchmark leaves nothing behind.
 */
final class PeerProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    void start(Class<?> main, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        // The jar manifest's Add-Exports does not apply with -cp: Agrona (Aeron's buffers) needs it spelled out.
        cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        processes.add(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Waits for every child; returns the {@code RESULT} lines of child 0. */
    List<String> awaitResults(long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> results = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            // Children print little, so reading after exit cannot block them on a full pipe.
            if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("benchmark peer " + i + " did not finish within " + timeoutSeconds + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("benchmark peer " + i + " failed with exit code " + p.exitValue()
                        + (out.isBlank() ? "" : ":\n" + out));
            }
            if (i == 0) {
                out.lines().filter(l -> l.startsWith("RESULT ")).forEach(results::add);
            }
        }
        return results;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }
}
