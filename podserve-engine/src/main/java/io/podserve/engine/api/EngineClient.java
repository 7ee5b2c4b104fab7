package io.podserve.engine.api;

import java.time.Duration;

/**
 * A running engine instance as its callers see it. Thread-safe: HTTP threads submit and read
 * concurrently; the engine's own thread runs the steps.
 */
public interface EngineClient extends AutoCloseable {

    /**
     * Queues a request. Throws {@link RequestTooLargeException} when it could never fit (prompt
     * plus max_tokens beyond {@link #maxModelLen()} or the whole KV cache), and
     * {@link EngineOverloadedException} when the engine does not take more work now.
     */
    GenerationHandle submit(GenerationRequest request);

    /** The most tokens (prompt plus output) one request may hold. */
    int maxModelLen();

    EngineStats stats();

    /**
     * Stops taking requests, lets in-flight ones finish for up to {@code grace}, then ends the rest
     * with {@code Finished(ABORT)} and stops the engine thread. Idempotent.
     */
    void shutdown(Duration grace);

    @Override
    default void close() {
        shutdown(Duration.ZERO);
    }
}
