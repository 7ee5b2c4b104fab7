package io.podserve.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * With {@code --api-key}, every {@code /v1} request must carry {@code Authorization: Bearer KEY};
 * health and metrics stay open for probes and scrapers (as vLLM does).
 */
public final class ApiKeyCheck implements Handler {
    private final byte[] key;

    public ApiKeyCheck(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("no API key: send the header 'Authorization: Bearer YOUR_KEY'");
        }
        String given = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        // Constant-time comparison: the time taken says nothing about how much of the key matched.
        if (!MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized("incorrect API key provided");
        }
    }
}
