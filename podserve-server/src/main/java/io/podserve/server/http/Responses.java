package io.podserve.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes whole JSON responses and closes them before the handler returns.
 *
 * <p>NOTE: a completion's response is complete on the wire when its handler returns (rather than
 * when Javalin writes a result afterwards), so a graceful stop that waits for handlers cannot cut
 * a response short.
 */
public final class Responses {
    private Responses() {
    }

    public static void json(Context ctx, int status, JsonNode body) {
        if (ctx.res().isCommitted()) {
            return; // a stream already started; it ends on its own
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ctx.status(status);
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(bytes.length);
        try (OutputStream out = ctx.res().getOutputStream()) {
            out.write(bytes);
        } catch (IOException clientGone) {
            // Nobody is left to read the answer.
        }
    }

    public static void error(Context ctx, ApiError e) {
        json(ctx, e.status(), e.toJson());
    }
}
