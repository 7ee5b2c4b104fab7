package io.podserve.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.podserve.engine.api.EngineClient;
import io.podserve.server.http.ApiError;
import io.podserve.server.http.ApiKeyCheck;
import io.podserve.server.http.CompletionHandler;
import io.podserve.server.http.RequestGate;
import io.podserve.server.http.Responses;
import io.podserve.server.metrics.ServerMetrics;
import io.podserve.server.openai.ChatApi;
import io.podserve.server.openai.CompletionApi;
import io.podserve.server.openai.ServedModel;
import io.podserve.server.openai.TextApi;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenAI-compatible server over one engine: {@code POST /v1/chat/completions},
 * {@code POST /v1/completions}, {@code GET /v1/models[/NAME]}, {@code GET /health}, {@code GET /metrics}.
 * Each request runs on its own virtual thread. {@link #stop()} is graceful: new requests get 503,
 * in-flight ones finish (streams end with {@code [DONE]}) within the configured grace, then the
 * engine and the listener stop.
 */
public final class PodServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodServer.class.getName());
    private static final List<CompletionApi> APIS = List.of(new ChatApi(), new TextApi());

    private final EngineClient engine;
    private final ServedModel model;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final RequestGate gate = new RequestGate();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long createdEpochSeconds = System.currentTimeMillis() / 1000;
    private final Javalin app;

    private PodServer(EngineClient engine, ServedModel model, ServerConfig config) {
        this.engine = engine;
        this.model = model;
        this.config = config;
        this.metrics = new ServerMetrics(engine);
        this.app = Javalin.create(this::configure);
    }

    /** Starts listening; the engine must be running. The server owns the engine from now on and stops it. */
    public static PodServer start(EngineClient engine, ServedModel model, ServerConfig config) {
        PodServer server = new PodServer(engine, model, config);
        server.app.start(config.host(), config.port());
        return server;
    }

    private void configure(JavalinConfig cfg) {
        cfg.concurrency.useVirtualThreads = true;
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        // NOTE: no compression: a compressing stream would hold SSE chunks back until its buffer fills.
        cfg.http.compressionStrategy = CompressionStrategy.NONE;
        cfg.http.maxRequestSize = config.maxBodyBytes();
        if (config.apiKey() != null) {
            cfg.routes.before("/v1/*", new ApiKeyCheck(config.apiKey()));
        }
        for (CompletionApi api : APIS) {
            cfg.routes.post(api.names().path(), new CompletionHandler(api, model, engine, metrics, gate, config.maxBodyBytes()));
        }
        cfg.routes.get("/v1/models", this::models);
        cfg.routes.get("/v1/models/{model}", this::model);
        cfg.routes.get("/health", this::health);
        cfg.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        cfg.routes.exception(ApiError.class, (e, ctx) -> writeError(ctx, e));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx,
                new ApiError(e.getStatus(), e.getStatus() >= 500 ? "server_error" : "invalid_request_error",
                        e.getMessage() + " (" + ctx.method() + " " + ctx.path() + ")", null, null)));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.log(Level.SEVERE, "request " + ctx.method() + " " + ctx.path() + " failed", e);
            writeError(ctx, new ApiError(500, "server_error", "internal error: " + e, null, null));
        });
    }

    private void models(Context ctx) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("object", "list");
        list.putArray("data").add(modelObject());
        ctx.contentType("application/json").result(list.toString());
    }

    private void model(Context ctx) {
        String name = ctx.pathParam("model");
        if (!name.equals(model.name())) {
            throw ApiError.notFound("The model '" + name + "' does not exist; this server serves '" + model.name()
                    + "'", "model", "model_not_found");
        }
        ctx.contentType("application/json").result(modelObject().toString());
    }

    private ObjectNode modelObject() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("id", model.name());
        m.put("object", "model");
        m.put("created", createdEpochSeconds);
        m.put("owned_by", "podserve");
        m.put("max_model_len", engine.maxModelLen());
        return m;
    }

    /** 200 while serving, 503 once draining, so a load balancer stops sending here first. */
    private void health(Context ctx) {
        boolean up = !stopped.get();
        ctx.status(up ? 200 : 503).contentType("application/json")
                .result(up ? "{\"status\":\"ok\"}" : "{\"status\":\"shutting down\"}");
    }

    private static void writeError(Context ctx, ApiError e) {
        Responses.error(ctx, e);
    }

    public int port() {
        return app.port();
    }

    /** The API's base address, e.g. {@code http://127.0.0.1:8000/v1}. */
    public URI baseUri() {
        return URI.create("http://" + config.host() + ":" + port() + "/v1");
    }

    /** The most tokens (prompt plus output) one request may hold. */
    public int maxModelLen() {
        return engine.maxModelLen();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: refuse new requests (503), give in-flight ones the configured grace to finish,
     * end the rest (their streams close with finish_reason "abort"), then close the listener.
     * Idempotent; safe from a shutdown hook.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        gate.startDraining();
        Duration grace = config.shutdownGrace();
        engine.shutdown(grace);
        try {
            // The engine has ended every request; wait a little for handlers to write their last bytes.
            if (!gate.awaitIdle(Duration.ofSeconds(5))) {
                LOG.warning(gate.numInFlight() + " responses were still being written at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
