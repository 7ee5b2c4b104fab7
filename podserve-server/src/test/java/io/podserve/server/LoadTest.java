package io.podserve.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podserve.engine.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded overload on loopback: 40 requests at once (half streamed) against a KV cache of 192
 * tokens and a queue of 8. Every request must end in a complete answer or a clean 429, none may be
 * lost, and the server must still answer afterwards.
 */
@Timeout(240)
class LoadTest {
    private static final int NUM_REQUESTS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void overloadEndsEveryRequestCleanly() throws Exception {
        EngineConfig config = new EngineConfig(8, 64, 8, true, EngineConfig.DEFAULTS.batchWait());
        try (FortuneServer fortune = new FortuneServer(12, config)) {
            PodServer server = fortune.server;
            List<Future<String>> outcomes = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < NUM_REQUESTS; i++) {
                    int n = i;
                    outcomes.add(pool.submit(() -> outcome(server, n)));
                }
            }
            int ok = 0;
            int refused = 0;
            for (Future<String> f : outcomes) {
                String o = f.get();
                if (o.equals("429")) {
                    refused++;
                } else {
                    assertTrue(Set.of("stop", "length").contains(o), "unexpected outcome " + o);
                    ok++;
                }
            }
            System.out.printf("load: %d served, %d refused with 429%n", ok, refused);
            assertEquals(NUM_REQUESTS, ok + refused, "every request got an answer");
            assertTrue(ok >= config.maxNumSeqs(), "at least a batch was served, got " + ok);
            assertEquals(200, Http.get(server, "/health").statusCode());
            assertEquals("length", outcome(server, 99), "the server still serves after the storm");
            String metrics = Http.get(server, "/metrics").body();
            assertEquals(ok + 1, sum(metrics, "podserve:request_success_total{"), metrics);
        }
    }

    /** Sends one request and reduces the answer to its finish reason, or the HTTP status when refused. */
    private static String outcome(PodServer server, int i) throws Exception {
        boolean stream = i % 2 == 0;
        String body = "{\"model\": \"fortune\", \"max_tokens\": " + (8 + i % 24) + ", \"stream\": " + stream
                + ", \"temperature\": 0, \"messages\": [{\"role\": \"user\", \"content\": \"Tell me fortune number "
                + i + " about the river and the star.\"}]}";
        HttpResponse<String> r = Http.post(server, "/v1/chat/completions", body);
        if (r.statusCode() == 429) {
            HttpShapeTest.assertError(429, null, r);
            return "429";
        }
        assertEquals(200, r.statusCode(), r.body());
        if (!stream) {
            return JSON.readTree(r.body()).at("/choices/0/finish_reason").asText();
        }
        assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
        String finish = null;
        for (String event : r.body().split("\n\n")) {
            if (!event.equals("data: [DONE]")) {
                JsonNode reason = JSON.readTree(event.substring("data: ".length())).at("/choices/0/finish_reason");
                if (reason.isTextual()) {
                    finish = reason.asText();
                }
            }
        }
        return finish;
    }

    private static double sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
