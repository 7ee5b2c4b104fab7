package io.podserve.xccl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ranks as separate JVMs for multi-process tests: the same java binary and test classpath as this JVM, each
 * rank's output in a file. {@link #close()} kills whatever is still running, so a failed test leaves nothing.
 */
final class RankProcesses implements AutoCloseable {

    final Path dir;
    final List<Process> processes = new ArrayList<>();

    RankProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code worldSize} ranks of {@link RankMain} running {@code scenario} with {@code args}. */
    void start(String scenario, int worldSize, String transport, String... args) throws IOException {
        Path rendezvous = dir.resolve("rendezvous");
        for (int r = 0; r < worldSize; r++) {
            List<String> cmd = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    RankMain.class.getName(), scenario, String.valueOf(r), String.valueOf(worldSize),
                    rendezvous.toString(), transport));
            cmd.addAll(List.of(args));
            processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(log(r).toFile()).start());
        }
    }

    Path log(int rank) {
        return dir.resolve("rank-" + rank + ".log");
    }

    String output(int rank) {
        try {
            return Files.exists(log(rank)) ? Files.readString(log(rank)) : "";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** Waits up to {@code seconds} for rank {@code r} to exit; returns its exit code, or -1 if it is still running. */
    int await(int r, long seconds) throws InterruptedException {
        Process p = processes.get(r);
        return p.waitFor(seconds, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** Waits until {@code rank}'s output contains {@code text}. */
    boolean awaitOutput(int rank, String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (output(rank).contains(text)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    String allOutput() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < processes.size(); r++) {
            sb.append("--- rank ").append(r).append(" ---\n").append(output(r));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
