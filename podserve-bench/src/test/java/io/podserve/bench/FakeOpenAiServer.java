package io.podserve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-style streaming server for tests: streams {@code max_tokens} one-word tokens, the first
 * after {@code firstDelayMs} and the rest {@code gapMs} apart, then usage and {@code [DONE]}. A
 * prompt starting with a fault word misbehaves instead: {@code fail-500}, {@code break} (stream
 * ends without [DONE]), {@code bad-json}, {@code error-event}, {@code hang} (sends nothing until closed),
 * {@code no-stream} (answers with one JSON body, as a server that ignores {@code stream: true}).
 */
final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final long firstDelayMs;
    private final long gapMs;
    private final boolean usage;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    FakeOpenAiServer(long firstDelayMs, long gapMs, boolean usage) throws IOException {
        this.firstDelayMs = firstDelayMs;
        this.gapMs = gapMs;
        this.usage = usage;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/completions", exchange -> handle(exchange, false));
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, true));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange, boolean chat) throws IOException {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            bodies.add(body);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String prompt = chat ? body.path("messages").path(0).path("content").asText() : body.path("prompt").asText();
            if (prompt.startsWith("fail-500")) {
                byte[] msg = "{\"error\":\"overloaded\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, msg.length);
                exchange.getResponseBody().write(msg);
                return;
            }
            if (prompt.startsWith("no-stream")) {
                byte[] msg = "{\"choices\":[{\"text\":\"all at once\"}]}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, msg.length);
                exchange.getResponseBody().write(msg);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            stream(exchange.getResponseBody(), chat, prompt, body.path("max_tokens").asInt());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void stream(OutputStream out, boolean chat, String prompt, int maxTokens)
            throws IOException, InterruptedException {
        if (prompt.startsWith("hang")) {
            closed.await(30, TimeUnit.SECONDS);
            return;
        }
        if (chat) { // OpenAI opens a chat stream with a role-only delta at once: not a token
            send(out, chunk(true, null));
        }
        Thread.sleep(firstDelayMs);
        for (int i = 0; i < maxTokens; i++) {
            if (i > 0) {
                Thread.sleep(gapMs);
            }
            if (prompt.startsWith("break") && i == 2) {
                return;
            }
            if (prompt.startsWith("bad-json") && i == 1) {
                send(out, "{not json");
                continue;
            }
            if (prompt.startsWith("error-event") && i == 1) {
                send(out, "{\"error\":{\"message\":\"engine crashed\"}}");
                continue;
            }
            send(out, chunk(chat, " tok" + i));
        }
        if (usage) {
            ObjectNode u = JSON.createObjectNode();
            u.putArray("choices");
            u.putObject("usage").put("prompt_tokens", prompt.split(" ").length).put("completion_tokens", maxTokens);
            send(out, u.toString());
        }
        send(out, "[DONE]");
    }

    private static String chunk(boolean chat, String text) {
        ObjectNode c = JSON.createObjectNode();
        c.put("object", chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode choice = c.putArray("choices").addObject();
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (text == null) {
                delta.put("role", "assistant").put("content", "");
            } else {
                delta.put("content", text);
            }
        } else {
            choice.put("text", text);
        }
        return c.toString();
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
