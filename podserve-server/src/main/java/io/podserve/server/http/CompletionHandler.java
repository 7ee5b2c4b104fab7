package io.podserve.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.podserve.engine.api.EngineClient;
import io.podserve.engine.api.EngineOverloadedException;
import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.GenerationHandle;
import io.podserve.engine.api.GenerationRequest;
import io.podserve.engine.api.RequestTooLargeException;
import io.podserve.engine.api.TokenOutput;
import io.podserve.server.metrics.RequestTimer;
import io.podserve.server.metrics.ServerMetrics;
import io.podserve.server.openai.CompletionApi;
import io.podserve.server.openai.ParsedRequest;
import io.podserve.server.openai.ResponseContext;
import io.podserve.server.openai.ServedModel;
import io.podserve.server.openai.Usage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One completion endpoint (chat or text): reads and checks the request, submits it to the engine,
 * and answers with one JSON object or an SSE stream. Runs on the request's (virtual) thread, which
 * blocks on the engine's event queue; a client that leaves mid-stream cancels its request.
 */
public final class CompletionHandler implements Handler {
    private static final long POLL_SECONDS = 1;
    private final CompletionApi api;
    private final ServedModel model;
    private final EngineClient engine;
    private final ServerMetrics metrics;
    private final RequestGate gate;
    private final long maxBodyBytes;

    public CompletionHandler(CompletionApi api, ServedModel model, EngineClient engine, ServerMetrics metrics,
                             RequestGate gate, long maxBodyBytes) {
        this.api = api;
        this.model = model;
        this.engine = engine;
        this.metrics = metrics;
        this.gate = gate;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(Context ctx) throws InterruptedException {
        RequestGate.Pass pass;
        try {
            pass = gate.enter();
        } catch (ApiError e) {
            Responses.error(ctx, e);
            return;
        }
        try (pass) {
            serve(ctx);
        } catch (ApiError e) {
            Responses.error(ctx, e);
        }
    }

    private void serve(Context ctx) throws InterruptedException {
        RequestTimer timer = metrics.startRequest();
        ObjectNode body = JsonBody.read(ctx, maxBodyBytes);
        checkModel(body);
        ParsedRequest request = api.parse(body, model, engine.maxModelLen());
        String id = api.names().idPrefix() + UUID.randomUUID().toString().replace("-", "");
        GenerationHandle handle = submit(new GenerationRequest(id, request.prompt(), request.sampling()));
        ResponseContext rc = new ResponseContext(id, System.currentTimeMillis() / 1000, model, request);
        try {
            if (request.stream()) {
                stream(ctx, handle, rc, request, timer);
            } else {
                respond(ctx, handle, rc, timer);
            }
        } catch (InterruptedException | RuntimeException e) {
            handle.cancel();
            throw e;
        }
    }

    private void checkModel(ObjectNode body) {
        JsonNode name = body.get("model");
        if (name == null || name.isNull()) {
            throw ApiError.badRequest("'model' is required; this server serves '" + model.name() + "'", "model");
        }
        if (!name.isTextual()) {
            throw ApiError.badRequest("'model' must be a string", "model");
        }
        if (!name.textValue().equals(model.name())) {
            throw ApiError.notFound("The model '" + name.textValue() + "' does not exist; this server serves '"
                    + model.name() + "'", "model", "model_not_found");
        }
    }

    private GenerationHandle submit(GenerationRequest request) {
        try {
            return engine.submit(request);
        } catch (RequestTooLargeException e) {
            throw new ApiError(413, "invalid_request_error", e.getMessage(), "max_tokens", "request_too_large");
        } catch (EngineOverloadedException e) {
            if (gate.draining()) {
                throw RequestGate.shuttingDown();
            }
            // NOTE: 429 (not 503) for a full queue: the server is healthy, the client should back off and retry.
            throw new ApiError(429, "rate_limit_error", "the server is at capacity: " + e.getMessage()
                    + "; retry later", null, "engine_overloaded");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), null);
        }
    }

    private void respond(Context ctx, GenerationHandle handle, ResponseContext rc, RequestTimer timer)
            throws InterruptedException {
        StringBuilder text = new StringBuilder();
        List<TokenOutput> tokens = new ArrayList<>();
        while (true) {
            switch (next(handle)) {
                case GenerationEvent.Delta d -> {
                    timer.onTokens(d.tokens().size());
                    text.append(d.text());
                    tokens.addAll(d.tokens());
                }
                case GenerationEvent.Finished f -> {
                    timer.onFinished(f);
                    ObjectNode response = api.response(rc, text.toString(), tokens, f.reason().openAiName(),
                            Usage.of(f));
                    Responses.json(ctx, 200, response);
                    return;
                }
                case GenerationEvent.Failed f -> throw engineFailed(f);
            }
        }
    }

    /**
     * Streams chunks as deltas arrive. The finish reason rides on the last text chunk when the
     * engine has already queued the end behind it; otherwise a final chunk with empty content
     * carries it, as OpenAI's own streams end.
     */
    private void stream(Context ctx, GenerationHandle handle, ResponseContext rc, ParsedRequest request,
                        RequestTimer timer) throws InterruptedException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        try {
            SseStream sse = new SseStream(ctx.res().getOutputStream());
            ObjectNode opening = api.openingChunk(rc);
            if (opening != null) {
                sse.send(opening);
            }
            GenerationEvent event = next(handle);
            while (true) {
                switch (event) {
                    case GenerationEvent.Delta d -> {
                        timer.onTokens(d.tokens().size());
                        GenerationEvent after = handle.poll(0, TimeUnit.NANOSECONDS);
                        if (after instanceof GenerationEvent.Finished f) {
                            sse.send(api.chunk(rc, d.text(), d.tokens(), f.reason().openAiName()));
                            finish(sse, rc, request, timer, f);
                            return;
                        }
                        if (!d.text().isEmpty() || request.logprobs() && !d.tokens().isEmpty()) {
                            sse.send(api.chunk(rc, d.text(), d.tokens(), null));
                        }
                        event = after != null ? after : next(handle);
                    }
                    case GenerationEvent.Finished f -> {
                        sse.send(api.chunk(rc, "", List.of(), f.reason().openAiName()));
                        finish(sse, rc, request, timer, f);
                        return;
                    }
                    case GenerationEvent.Failed f -> {
                        sse.send(engineFailed(f).toJson());
                        sse.done();
                        sse.close();
                        return;
                    }
                }
            }
        } catch (IOException clientGone) {
            // NOTE: the client closed the connection; free the request's batch slot and KV pages now.
            handle.cancel();
        }
    }

    private void finish(SseStream sse, ResponseContext rc, ParsedRequest request, RequestTimer timer,
                        GenerationEvent.Finished f) throws IOException {
        timer.onFinished(f);
        if (request.includeUsage()) {
            sse.send(api.usageChunk(rc, Usage.of(f)));
        }
        sse.done();
        sse.close();
    }

    private static GenerationEvent next(GenerationHandle handle) throws InterruptedException {
        GenerationEvent e;
        do {
            e = handle.poll(POLL_SECONDS, TimeUnit.SECONDS);
        } while (e == null);
        return e;
    }

    private static ApiError engineFailed(GenerationEvent.Failed f) {
        return new ApiError(500, "server_error", "the engine could not finish this request: " + f.message(), null,
                "engine_failed");
    }
}
