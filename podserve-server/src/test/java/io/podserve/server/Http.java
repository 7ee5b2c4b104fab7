package io.podserve.server;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Clients for tests: the official OpenAI SDK, and raw HTTP for what the SDK's types cannot send. */
final class Http {
    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static OpenAIClient sdk(PodServer server, String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUri().toString()).apiKey(apiKey).maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    static HttpResponse<String> post(PodServer server, String path, String body) {
        return send(HttpRequest.newBuilder(uri(server, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(60)).build());
    }

    static HttpResponse<String> get(PodServer server, String path) {
        return send(HttpRequest.newBuilder(uri(server, path)).GET().timeout(Duration.ofSeconds(30)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return RAW.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static URI uri(PodServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
