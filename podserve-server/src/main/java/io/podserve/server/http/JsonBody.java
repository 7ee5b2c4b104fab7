package io.podserve.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body as one JSON object, refusing bodies over a size limit (413) and malformed JSON (400). */
final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBody() {
    }

    static ObjectNode read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            // Chunked bodies declare no length: read one byte past the limit to notice.
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body", e);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(-1, maxBytes);
        }
        if (bytes.length == 0) {
            throw ApiError.badRequest("the request body is empty; send a JSON object", null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object, got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)), null);
        }
        return (ObjectNode) root;
    }

    private static ApiError tooLarge(long declared, long maxBytes) {
        return new ApiError(413, "invalid_request_error", "the request body" + (declared >= 0 ? " (" + declared
                + " bytes)" : "") + " is over this server's limit of " + maxBytes + " bytes", null, "request_too_large");
    }
}
