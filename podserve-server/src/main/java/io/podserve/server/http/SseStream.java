package io.podserve.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as OpenAI streams them: each event is {@code data: <json>\n\n}, and the
 * stream ends with {@code data: [DONE]\n\n}. Every event is flushed at once, so a client sees each
 * token when it is decoded. A write that fails means the client went away. Owned by one handler thread.
 */
final class SseStream {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private final OutputStream out;

    SseStream(OutputStream out) {
        this.out = out;
    }

    void send(JsonNode event) throws IOException {
        out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void done() throws IOException {
        out.write(DONE);
        out.flush();
    }

    /** Completes the response (the last chunk of its chunked encoding) now, not after the handler returns. */
    void close() throws IOException {
        out.close();
    }
}
