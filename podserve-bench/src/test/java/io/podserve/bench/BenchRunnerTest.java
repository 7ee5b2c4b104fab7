package io.podserve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podserve.bench.client.Endpoint;
import io.podserve.bench.client.RequestRecord;
import io.podserve.bench.report.Slo;
import io.podserve.bench.workload.DatasetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Whole runs against {@link FakeOpenAiServer}, whose delays bound the times the benchmark measures. */
@Timeout(30)
class BenchRunnerTest {
    private static final double FIRST_S = 0.060;
    private static final double GAP_S = 0.010;

    @TempDir
    Path tmp;

    @Test
    void completionsRunCountsTokensAndTimesEveryChunk() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer(60, 10, true)) {
            AtomicInteger started = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            BenchResult result = BenchRunner.run(BenchConfig.builder(server.url(), "fake")
                    .numPrompts(6).dataset(DatasetSpec.synthetic(12, 5)).apiKey("sk-test").build(),
                    new BenchListener() {
                        @Override
                        public void started(int numRequests) {
                            started.set(numRequests);
                        }

                        @Override
                        public void requestDone(RequestRecord record) {
                            done.incrementAndGet();
                        }
                    });

            assertEquals(6, started.get());
            assertEquals(6, done.get());
            assertEquals(6, result.summary().completed());
            assertEquals(0, result.summary().failed());
            assertEquals(30, result.summary().totalOutputTokens());
            assertEquals(72, result.summary().totalInputTokens());
            for (RequestRecord r : result.records()) {
                assertTrue(r.success(), r.error());
                assertEquals("usage", r.outputTokensSource());
                assertTrue(r.ttftS() >= FIRST_S, "ttft " + r.ttftS());
                assertEquals(4, r.itlS().size());
                // One gap may be short when the chunk before it came late; their sum cannot be.
                assertTrue(r.e2eS() >= FIRST_S + 4 * GAP_S, "e2e " + r.e2eS());
                assertEquals(r.ttftS() + r.itlS().stream().mapToDouble(Double::doubleValue).sum(), r.e2eS(), 1e-9);
                assertEquals((r.e2eS() - r.ttftS()) / 4, r.tpotS(), 1e-12);
            }
            assertEquals(6, result.summary().ttft().count());
            assertEquals(24, result.summary().itl().count());
            assertTrue(result.summary().ttft().medianMs() >= FIRST_S * 1000);
            assertTrue(result.summary().durationS() >= FIRST_S + 4 * GAP_S);

            JsonNode body = server.bodies.getFirst();
            assertEquals("fake", body.path("model").asText());
            assertEquals(5, body.path("max_tokens").asInt());
            assertTrue(body.path("stream").asBoolean());
            assertTrue(body.path("stream_options").path("include_usage").asBoolean());
            assertTrue(body.path("ignore_eos").asBoolean());
            assertEquals(12, body.path("prompt").asText().split(" ").length);
            assertEquals("Bearer sk-test", server.authorizations.getFirst());
        }
    }

    @Test
    void chatTtftWaitsForTextNotTheRoleChunkAndCountsChunksWithoutUsage() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer(60, 5, false)) {
            BenchResult result = BenchRunner.run(BenchConfig.builder(server.url() + "/v1", "fake")
                    .endpoint(Endpoint.CHAT).numPrompts(3).dataset(DatasetSpec.synthetic(4, 3)).build());

            assertEquals(3, result.summary().completed());
            for (RequestRecord r : result.records()) {
                assertTrue(r.ttftS() >= FIRST_S, "the role-only chunk came at once; ttft " + r.ttftS());
                assertEquals(3, r.outputTokens());
                assertEquals("chunks", r.outputTokensSource());
                assertEquals(4, r.promptTokens(), "no usage: the dataset's estimate");
            }
            assertEquals("null", server.authorizations.getFirst());
            assertEquals(3, server.bodies.getFirst().path("max_completion_tokens").asInt());
        }
    }

    @Test
    void failuresAreCountedWithTheirReasonAndTheRunEnds() throws Exception {
        Path dataset = tmp.resolve("faults.jsonl");
        Files.writeString(dataset, """
                {"prompt": "fine one", "output_len": 4}
                {"prompt": "fail-500 please"}
                {"prompt": "break please"}
                {"prompt": "bad-json please"}

                {"prompt": "error-event please"}
                {"prompt": "hang please"}
                {"prompt": "no-stream please"}
                """);
        try (FakeOpenAiServer server = new FakeOpenAiServer(0, 1, true)) {
            BenchResult result = BenchRunner.run(BenchConfig.builder(server.url(), "fake")
                    .numPrompts(7).dataset(new DatasetSpec(dataset, 1, 3, 0, 0))
                    .requestTimeout(Duration.ofMillis(1500)).build());

            List<RequestRecord> r = result.records();
            assertTrue(r.get(0).success(), r.get(0).error());
            assertEquals(4, r.get(0).outputTokens());
            assertEquals(1, result.summary().completed());
            assertEquals(6, result.summary().failed());
            assertEquals("HTTP 500: {\"error\":\"overloaded\"}", r.get(1).error());
            assertEquals(500, r.get(1).httpStatus());
            assertEquals("the stream ended before [DONE] after 2 text chunks", r.get(2).error());
            assertTrue(r.get(3).error().startsWith("bad stream chunk (not JSON)"), r.get(3).error());
            assertTrue(r.get(4).error().contains("engine crashed"), r.get(4).error());
            assertEquals("timed out after 1.5 s (0 text chunks received)", r.get(5).error());
            assertEquals("the stream ended before [DONE] after 0 text chunks (the response's Content-Type is "
                    + "application/json, not text/event-stream: does the server stream?)", r.get(6).error());
            assertEquals(4, result.summary().totalOutputTokens(), "failed requests add no tokens");
            assertTrue(result.table().contains("1 x HTTP 500"), result.table());
        }
    }

    @Test
    void unreachableServerFailsEveryRequestWithoutThrowing() throws Exception {
        String url = closedUrl();
        BenchResult result = BenchRunner.run(BenchConfig.builder(url, "fake")
                .numPrompts(3).dataset(DatasetSpec.synthetic(2, 2)).warmupRequests(0).build());
        assertEquals(3, result.summary().failed());
        assertTrue(result.records().getFirst().error().startsWith("connection failed"), result.records().getFirst().error());
    }

    @Test
    void aFailedWarmupStopsTheRunBeforeItStarts() throws Exception {
        var e = assertThrows(WarmupFailedException.class, () -> BenchRunner.run(BenchConfig.builder(closedUrl(), "m")
                .numPrompts(3).dataset(DatasetSpec.synthetic(2, 2)).build()));
        assertTrue(e.getMessage().contains("connection failed"), e.getMessage());

        try (FakeOpenAiServer server = new FakeOpenAiServer(0, 0, true)) {
            Path dataset = tmp.resolve("hang.jsonl");
            Files.writeString(dataset, "{\"prompt\": \"hang\"}\n");
            e = assertThrows(WarmupFailedException.class, () -> BenchRunner.run(BenchConfig.builder(server.url(), "m")
                    .numPrompts(3).dataset(new DatasetSpec(dataset, 1, 2, 0, 0))
                    .requestTimeout(Duration.ofMillis(300)).build()));
            assertTrue(e.getMessage().contains("timed out after 0.3 s"), e.getMessage());
            assertEquals(1, server.bodies.size(), "nothing measured was sent");
        }
    }

    private static String closedUrl() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer(0, 0, true)) {
            return server.url();
        }
    }

    @Test
    void maxConcurrencyHoldsRequestsBackAndPoissonPacesThem() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer(30, 1, true)) {
            BenchResult result = BenchRunner.run(BenchConfig.builder(server.url(), "fake")
                    .numPrompts(8).requestRate(200).seed(7).maxConcurrency(2)
                    .dataset(DatasetSpec.synthetic(3, 2)).build());

            assertEquals(8, result.summary().completed());
            assertTrue(server.peakInFlight() <= 2, "peak " + server.peakInFlight());
            for (RequestRecord r : result.records()) {
                assertTrue(r.sentS() >= r.scheduledS() - 1e-3, r.sentS() + " before " + r.scheduledS());
            }
            // 8 requests of >= 30 ms, two at a time: at least 4 rounds.
            assertTrue(result.summary().durationS() >= 4 * 0.030, "duration " + result.summary().durationS());
        }
    }

    @Test
    void jsonKeepsTheSummaryAndEveryRequestButNotTheKey() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer(5, 1, true)) {
            BenchResult result = BenchRunner.run(BenchConfig.builder(server.url(), "fake")
                    .numPrompts(4).dataset(DatasetSpec.synthetic(3, 3)).apiKey("sk-secret")
                    .slo(new Slo(10_000.0, null, null)).build());
            Path out = tmp.resolve("out/result.json");
            result.writeJson(out);

            String text = Files.readString(out);
            assertFalse(text.contains("sk-secret"));
            JsonNode json = new ObjectMapper().readTree(text);
            assertEquals("inf", json.path("config").path("request_rate").asText());
            JsonNode summary = json.path("summary");
            assertEquals(4, summary.path("completed").asInt());
            assertEquals(12, summary.path("total_output_tokens").asInt());
            assertEquals(1.0, summary.path("slo_attainment").asDouble());
            assertEquals(4 / summary.path("duration").asDouble(), summary.path("request_goodput").asDouble(), 1e-9);
            for (String key : List.of("mean_ttft_ms", "median_tpot_ms", "p90_itl_ms", "p99_e2el_ms", "std_ttft_ms")) {
                assertTrue(summary.has(key), key);
            }
            JsonNode requests = json.path("requests");
            assertEquals(4, requests.size());
            for (JsonNode r : requests) {
                for (String key : List.of("index", "scheduled_s", "sent_s", "success", "http_status", "ttft_s",
                        "itl_s", "e2e_s", "tpot_s", "prompt_tokens", "output_tokens", "output_tokens_source", "error")) {
                    assertTrue(r.has(key), key + " in " + r);
                }
                assertEquals(2, r.path("itl_s").size());
            }
        }
    }
}
