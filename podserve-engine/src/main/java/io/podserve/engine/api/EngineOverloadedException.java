package io.podserve.engine.api;

/** The engine refused a request because its queue is full or it is shutting down; retry later (HTTP 503 or 429). */
public final class EngineOverloadedException extends RuntimeException {
    public EngineOverloadedException(String message) {
        super(message);
    }
}
