package io.podserve.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wire details the SDK hides: SSE framing, error shapes for what typed clients cannot send, metrics text. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class HttpShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private PodServer server;

    @BeforeAll
    void start() {
        var model = TestModels.fortuneFrontEnd();
        server = PodServer.start(new FakeEngine(model.tokenizer(), 256, 64, Duration.ZERO), model,
                ServerConfig.onPort(0).withMaxBodyBytes(4096));
    }

    @AfterAll
    void stop() {
        server.stop();
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    @Test
    void chatStreamIsOpenAiSse() {
        HttpResponse<String> r = Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "messages": [{"role": "user", "content": "hello there"}],
                 "max_tokens": 3, "stream": true, "stream_options": {"include_usage": true}}""");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
        List<String> events = Arrays.asList(r.body().split("\n\n"));
        for (String e : events) {
            assertTrue(e.startsWith("data: "), "every event is one data line: " + e);
        }
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(e -> json(e.substring(6))).toList();
        JsonNode first = chunks.getFirst();
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals("assistant", first.at("/choices/0/delta/role").asText());
        assertTrue(first.get("usage").isNull(), "include_usage: usage is null on every chunk but the last");
        JsonNode lastContent = chunks.get(chunks.size() - 2);
        assertEquals("length", lastContent.at("/choices/0/finish_reason").asText());
        JsonNode usageChunk = chunks.getLast();
        assertEquals(0, usageChunk.get("choices").size());
        assertEquals(3, usageChunk.at("/usage/completion_tokens").asInt());
        String id = first.get("id").asText();
        chunks.forEach(c -> assertEquals(id, c.get("id").asText(), "one id for the whole stream"));
    }

    @Test
    void textCompletionAcceptsTokenIdsAndReportsLogprobs() {
        HttpResponse<String> r = Http.post(server, "/v1/completions", """
                {"model": "fortune", "prompt": [[5, 6, 7]], "max_tokens": 4, "logprobs": 2}""");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode lp = json(r.body()).at("/choices/0/logprobs");
        assertEquals(4, lp.get("tokens").size());
        assertEquals(4, lp.get("token_logprobs").size());
        assertEquals(2, lp.get("top_logprobs").get(0).size());
        assertEquals(0, lp.get("text_offset").get(0).asInt());
    }

    @Test
    void malformedRequestsAre400WithOpenAisErrorShape() {
        assertError(400, null, Http.post(server, "/v1/chat/completions", "{\"model\": \"fortune\", "));
        assertError(400, null, Http.post(server, "/v1/chat/completions", "[1, 2]"));
        assertError(400, null, Http.post(server, "/v1/chat/completions", ""));
        assertError(400, "temperature", Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}"""));
        assertError(400, "messages", Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "messages": []}"""));
        assertError(400, "messages", Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "messages": [{"content": "no role"}]}"""));
        assertError(400, "messages", Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}"""));
        assertError(400, "max_tokens", Http.post(server, "/v1/completions", """
                {"model": "fortune", "prompt": "hi", "max_tokens": 1.5}"""));
        assertError(400, "prompt", Http.post(server, "/v1/completions", """
                {"model": "fortune", "prompt": [1, 99999999]}"""));
        assertError(400, "prompt", Http.post(server, "/v1/completions", """
                {"model": "fortune", "prompt": ["a", "b"]}"""));
        assertError(400, "stream", Http.post(server, "/v1/completions", """
                {"model": "fortune", "prompt": "hi", "stream": "yes"}"""));
        assertError(400, "tools", Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "messages": [{"role": "user", "content": "hi"}], "tools": [{}]}"""));
        assertError(400, "model", Http.post(server, "/v1/completions", """
                {"prompt": "hi"}"""));
    }

    @Test
    void oversizedBodyIs413() {
        String big = "x".repeat(5000);
        HttpResponse<String> r = Http.post(server, "/v1/completions",
                "{\"model\": \"fortune\", \"prompt\": \"" + big + "\"}");
        assertError(413, null, r);
        assertTrue(r.body().contains("4096"), r.body());
    }

    @Test
    void unknownPathIs404InOpenAisShape() {
        assertError(404, null, Http.post(server, "/v1/embeddings", "{}"));
    }

    @Test
    void contentPartsAreJoined() {
        HttpResponse<String> r = Http.post(server, "/v1/chat/completions", """
                {"model": "fortune", "max_tokens": 2,
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]}""");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("assistant", json(r.body()).at("/choices/0/message/role").asText());
    }

    @Test
    void metricsUseVllmMeaningsUnderPodservePrefix() {
        Http.post(server, "/v1/completions", "{\"model\": \"fortune\", \"prompt\": \"a b c\", \"max_tokens\": 3}");
        HttpResponse<String> r = Http.get(server, "/metrics");
        assertEquals(200, r.statusCode());
        String text = r.body();
        for (String name : List.of("podserve:time_to_first_token_seconds_bucket",
                "podserve:time_per_output_token_seconds_bucket", "podserve:e2e_request_latency_seconds_count",
                "podserve:num_requests_running", "podserve:num_requests_waiting", "podserve:kv_cache_usage_perc",
                "podserve:prefix_cache_hits_total", "podserve:prefix_cache_queries_total",
                "podserve:prompt_tokens_total", "podserve:generation_tokens_total")) {
            assertTrue(text.contains(name), name + " missing from\n" + text);
        }
        assertTrue(text.contains("podserve:request_success_total{finished_reason=\"length\"}"), text);
    }

    @Test
    void healthAndModels() {
        assertEquals(200, Http.get(server, "/health").statusCode());
        JsonNode models = json(Http.get(server, "/v1/models").body());
        assertEquals("fortune", models.at("/data/0/id").asText());
        assertEquals(256, models.at("/data/0/max_model_len").asInt());
    }

    static void assertError(int status, String param, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = json(r.body()).get("error");
        assertTrue(error != null && error.get("message").isTextual() && !error.get("message").asText().isEmpty(),
                "OpenAI error shape: " + r.body());
        assertTrue(error.has("type") && error.has("param") && error.has("code"), r.body());
        if (param != null) {
            assertEquals(param, error.get("param").asText(), r.body());
        }
    }
}
