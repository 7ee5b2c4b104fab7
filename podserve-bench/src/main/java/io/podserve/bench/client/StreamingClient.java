package io.podserve.bench.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.bench.workload.BenchRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one streamed request and times its chunks. Thread-safe: one instance serves every request
 * of a run, each on its own (virtual) thread. It never throws: every failure becomes a record with
 * its reason; an interrupt (the run's per-request timeout) ends the request the same way.
 */
public final class StreamingClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY_BYTES = 1000;

    /** What every request of a run shares. {@code apiKey} may be null; {@code ignoreEos} is a vLLM extension. */
    public record Settings(String baseUrl, String model, Endpoint endpoint, String apiKey, boolean ignoreEos,
                           double temperature, Duration timeout) {
    }

    private final HttpClient http;
    private final Settings settings;
    private final URI uri;

    public StreamingClient(HttpClient http, Settings settings) {
        this.http = http;
        this.settings = settings;
        this.uri = settings.endpoint().resolve(settings.baseUrl());
    }

    /** The endpoint URL every request goes to. */
    public URI uri() {
        return uri;
    }

    /** Sends {@code request} now; offsets in the record count from {@code runStartNanos}. */
    public RequestRecord send(int index, BenchRequest request, long runStartNanos, double scheduledS) {
        HttpRequest httpRequest = httpRequest(request); // built before the clock starts, as vLLM's client does
        Timing timing = new Timing(System.nanoTime());
        int status = 0;
        String error;
        try {
            HttpResponse<InputStream> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream body = response.body()) {
                error = status == 200 ? readStream(body, timing) : httpError(status, body);
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("none");
            if (error != null && status == 200 && !contentType.contains("event-stream")) {
                error += " (the response's Content-Type is " + contentType + ", not text/event-stream: does the server stream?)";
            }
        } catch (java.net.ConnectException e) {
            error = "connection failed: cannot connect to " + uri.getAuthority() + " (" + describe(e) + ")";
        } catch (IOException e) {
            error = "connection failed: " + describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException e) {
            error = "client error: " + describe(e);
        }
        return timing.toRecord(index, scheduledS, (timing.sentNanos - runStartNanos) / 1e9, status,
                request.promptLen(), error);
    }

    private HttpRequest httpRequest(BenchRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        settings.endpoint().putPrompt(body, request.prompt(), request.outputLen());
        body.put("temperature", settings.temperature());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (settings.ignoreEos()) {
            body.put("ignore_eos", true);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (settings.apiKey() != null && !settings.apiKey().isEmpty()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        return builder.build();
    }

    /** Reads events until {@code [DONE]}; returns the failure, or null when the stream was whole. */
    private String readStream(InputStream body, Timing timing) throws IOException {
        SseReader events = new SseReader(body);
        String data;
        while ((data = events.next()) != null) {
            long now = System.nanoTime();
            if (data.strip().equals("[DONE]")) {
                return timing.contentNanos.isEmpty() ? "the stream carried no text" : null;
            }
            JsonNode chunk;
            try {
                chunk = JSON.readTree(data);
            } catch (JsonProcessingException e) {
                return "bad stream chunk (not JSON): " + abbreviate(data);
            }
            if (chunk.has("error")) {
                return "server error in stream: " + abbreviate(chunk.get("error").toString());
            }
            JsonNode choices = chunk.path("choices");
            if (choices.isArray() && !choices.isEmpty()
                    && !settings.endpoint().content(choices.get(0)).isEmpty()) {
                timing.contentNanos.add(now);
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                timing.usage(usage);
            }
        }
        return "the stream ended before [DONE] after " + timing.contentNanos.size() + " text chunks";
    }

    private static String httpError(int status, InputStream body) throws IOException {
        String text = new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        return "HTTP " + status + (text.isBlank() ? "" : ": " + abbreviate(text));
    }

    /** The exception's class and the first message down its causes (the JDK client often wraps the useful one). */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return e.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String abbreviate(String s) {
        String oneLine = s.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    /** Arrival times of one request's text chunks and the usage the server reported. */
    private static final class Timing {
        final long sentNanos;
        final List<Long> contentNanos = new ArrayList<>();
        int usagePromptTokens = -1;
        int usageOutputTokens = -1;

        Timing(long sentNanos) {
            this.sentNanos = sentNanos;
        }

        // Servers may repeat usage on every chunk (continuous usage stats): the last one counts.
        void usage(JsonNode usage) {
            if (usage.path("prompt_tokens").canConvertToInt()) {
                usagePromptTokens = usage.path("prompt_tokens").asInt();
            }
            if (usage.path("completion_tokens").canConvertToInt()) {
                usageOutputTokens = usage.path("completion_tokens").asInt();
            }
        }

        RequestRecord toRecord(int index, double scheduledS, double sentS, int status, int estimatedPromptTokens,
                               String error) {
            Double ttft = null;
            Double e2e = null;
            List<Double> itl = new ArrayList<>(Math.max(0, contentNanos.size() - 1));
            if (!contentNanos.isEmpty()) {
                ttft = (contentNanos.getFirst() - sentNanos) / 1e9;
                e2e = (contentNanos.getLast() - sentNanos) / 1e9;
                for (int i = 1; i < contentNanos.size(); i++) {
                    itl.add((contentNanos.get(i) - contentNanos.get(i - 1)) / 1e9);
                }
            }
            boolean fromUsage = usageOutputTokens >= 0;
            return new RequestRecord(index, scheduledS, sentS, error == null, status, ttft, itl, e2e,
                    usagePromptTokens >= 0 ? usagePromptTokens : estimatedPromptTokens,
                    fromUsage ? usageOutputTokens : contentNanos.size(), fromUsage ? "usage" : "chunks", error);
        }
    }
}
