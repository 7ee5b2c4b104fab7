package io.podserve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code podserve bench} as a user runs it; the measurements themselves are podserve-bench's tests. */
@Timeout(60)
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpExplainsEveryOption() {
        CliTest.Result r = CliTest.run("bench", "--help");
        assertEquals(0, r.exitCode(), r.err());
        for (String option : new String[] {"--url", "--model", "--endpoint", "--api-key", "--num-prompts",
                "--request-rate", "--burstiness", "--max-concurrency", "--dataset", "--input-len", "--output-len",
                "--range-ratio", "--prefix-len", "--seed", "--[no-]ignore-eos", "--temperature", "--slo-ttft-ms",
                "--slo-tpot-ms", "--slo-e2e-ms", "--timeout", "--warmup", "--json", "--no-progress"}) {
            assertTrue(r.out().contains(option), option + " missing from:\n" + r.out());
        }
    }

    @Test
    void badOptionsGetOneClearLine() {
        CliTest.Result r = CliTest.run("bench", "--model", "m", "--request-rate", "fast");
        assertEquals(2, r.exitCode());
        assertEquals("error: --request-rate must be a number of requests per second or inf, got 'fast'", r.err().strip());
        r = CliTest.run("bench", "--model", "m", "--endpoint", "embeddings");
        assertEquals("error: --endpoint must be completions or chat, got 'embeddings'", r.err().strip());
        r = CliTest.run("bench", "--model", "m", "--url", "localhost:8000");
        assertTrue(r.err().startsWith("error: --url must be http://HOST:PORT"), r.err());
    }

    @Test
    void aMissingDatasetIsOneLineWithNoProgressBarBeforeIt() {
        Path missing = tmp.resolve("missing.jsonl");
        CliTest.Result r = CliTest.run("bench", "--model", "m", "--dataset", missing.toString());
        assertEquals(2, r.exitCode());
        assertEquals("error: dataset " + missing + " does not exist", r.err().strip());
    }

    @Test
    void unreachableServerFailsTheWarmupInOneLine() throws Exception {
        CliTest.Result r = CliTest.run("bench", "--url", "http://127.0.0.1:" + closedPort(), "--model", "m",
                "--num-prompts", "3", "--input-len", "4", "--output-len", "2", "--no-progress");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: the warm-up request to http://127.0.0.1:"), r.err());
        assertTrue(r.err().contains("connection failed"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void withoutWarmupEveryRequestIsReportedFailedAndExitIsOne() throws Exception {
        Path json = tmp.resolve("result.json");
        CliTest.Result r = CliTest.run("bench", "--url", "http://127.0.0.1:" + closedPort(), "--model", "m",
                "--warmup", "0", "--num-prompts", "3", "--input-len", "4", "--output-len", "2", "--no-progress",
                "--slo-ttft-ms", "100", "--json", json.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("Failed requests:                         3"), r.out());
        assertTrue(r.out().contains("3 x connection failed"), r.out());
        assertTrue(r.out().contains("SLO attainment:                          0.0 % (0 of 3)"), r.out());
        assertTrue(Files.readString(json).contains("\"failed\" : 3"));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
