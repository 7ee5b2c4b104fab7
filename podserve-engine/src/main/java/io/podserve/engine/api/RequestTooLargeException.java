package io.podserve.engine.api;

/** A request whose prompt plus max_tokens can never fit the model's context or the KV cache, even alone. */
public final class RequestTooLargeException extends IllegalArgumentException {
    public RequestTooLargeException(String message) {
        super(message);
    }
}
