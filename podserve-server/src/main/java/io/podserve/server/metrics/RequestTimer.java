package io.podserve.server.metrics;

import io.podserve.engine.api.GenerationEvent;

/**
 * Times one request from arrival: first token, the gaps between later tokens, and the end.
 * Owned by the request's handler thread.
 */
public final class RequestTimer {
    private static final double NANOS = 1e9;
    private final ServerMetrics metrics;
    private final long arrivalNanos;
    private long lastTokenNanos = -1;

    RequestTimer(ServerMetrics metrics, long arrivalNanos) {
        this.metrics = metrics;
        this.arrivalNanos = arrivalNanos;
    }

    /**
     * {@code count} tokens arrived now. Tokens that arrive together share the gap since the last
     * ones, as vLLM spreads a multi-token step.
     */
    public void onTokens(int count) {
        if (count == 0) {
            return;
        }
        long now = System.nanoTime();
        if (lastTokenNanos < 0) {
            metrics.timeToFirstToken.observe((now - arrivalNanos) / NANOS);
            count--;
            lastTokenNanos = now;
        }
        if (count > 0) {
            double gap = (now - lastTokenNanos) / NANOS / count;
            for (int i = 0; i < count; i++) {
                metrics.timePerOutputToken.observe(gap);
            }
            lastTokenNanos = now;
        }
    }

    /** The request ended normally (stop, length or abort). */
    public void onFinished(GenerationEvent.Finished f) {
        metrics.e2eLatency.observe((System.nanoTime() - arrivalNanos) / NANOS);
        metrics.promptTokens.inc(f.promptTokens());
        metrics.generationTokens.inc(f.completionTokens());
        metrics.requestSuccess.labelValues(f.reason().openAiName()).inc();
    }
}
