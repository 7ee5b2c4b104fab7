package io.podserve.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful stop and client disconnects, on the model-free engine with a slow token rate. */
@Timeout(60)
class ShutdownTest {
    private static final String STREAM_BODY = """
            {"model": "fortune", "prompt": "one two three four five six", "max_tokens": %d, "stream": true}""";

    private static HttpRequest streamRequest(PodServer server, int maxTokens) {
        return HttpRequest.newBuilder(Http.uri(server, "/v1/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY.formatted(maxTokens))).build();
    }

    /** Opens a stream and returns its reader once the first event has arrived. */
    private static BufferedReader openStream(HttpClient client, PodServer server, int maxTokens) throws Exception {
        HttpResponse<InputStream> r = client.send(streamRequest(server, maxTokens), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertTrue(in.readLine().startsWith("data: "));
        return in;
    }

    private static List<String> rest(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void stopLetsInFlightStreamsFinishAndRefusesNewOnes() throws Exception {
        var model = TestModels.fortuneFrontEnd();
        PodServer server = PodServer.start(new FakeEngine(model.tokenizer(), 256, 8, Duration.ofMillis(20)), model,
                ServerConfig.onPort(0).withShutdownGrace(Duration.ofSeconds(20)));
        HttpClient client = HttpClient.newHttpClient();
        BufferedReader in = openStream(client, server, 30);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        Thread.sleep(100);
        assertEquals(503, Http.get(server, "/health").statusCode(), "draining: health says so");
        HttpShapeTest.assertError(503, null, Http.post(server, "/v1/completions",
                "{\"model\": \"fortune\", \"prompt\": \"hi\", \"max_tokens\": 2}"));
        List<String> lines = rest(in);
        assertEquals("data: [DONE]", lines.getLast());
        assertTrue(lines.get(lines.size() - 2).contains("\"finish_reason\":\"length\""), "the stream ran to its end");
        stopping.get();
    }

    @Test
    void streamsStillRunningAfterTheGraceEndWithAbort() throws Exception {
        var model = TestModels.fortuneFrontEnd();
        PodServer server = PodServer.start(new FakeEngine(model.tokenizer(), 256, 8, Duration.ofMillis(20)), model,
                ServerConfig.onPort(0).withShutdownGrace(Duration.ofMillis(200)));
        BufferedReader in = openStream(HttpClient.newHttpClient(), server, 200);
        server.stop();
        List<String> lines = rest(in);
        assertEquals("data: [DONE]", lines.getLast());
        assertTrue(lines.get(lines.size() - 2).contains("\"finish_reason\":\"abort\""), lines.getLast());
    }

    @Test
    void clientLeavingMidStreamCancelsItsRequest() throws Exception {
        var model = TestModels.fortuneFrontEnd();
        FakeEngine engine = new FakeEngine(model.tokenizer(), 1024, 8, Duration.ofMillis(2));
        try (PodServer server = PodServer.start(engine, model, ServerConfig.onPort(0))) {
            HttpClient client = HttpClient.newHttpClient();
            BufferedReader in = openStream(client, server, 1000);
            in.close();
            client.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (engine.numCancelled() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, engine.numCancelled(), "the server cancelled the abandoned request");
        }
    }
}
