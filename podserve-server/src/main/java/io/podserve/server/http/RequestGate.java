package io.podserve.server.http;

import java.time.Duration;

/**
 * Admits completion requests until the server starts draining, and counts those in flight so a
 * graceful stop can wait for their responses to be written. Thread-safe (its monitor; virtual
 * threads do not pin on it since JDK 24).
 */
public final class RequestGate {
    private int numInFlight;
    private boolean draining;

    /** A pass for one request; closing it marks the response written. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Admits a request, or answers 503 once the server is shutting down. */
    synchronized Pass enter() {
        if (draining) {
            throw shuttingDown();
        }
        numInFlight++;
        return this::leave;
    }

    private synchronized void leave() {
        if (--numInFlight == 0) {
            notifyAll();
        }
    }

    synchronized boolean draining() {
        return draining;
    }

    /** Refuses new requests from now on. */
    public synchronized void startDraining() {
        draining = true;
    }

    /** Waits until no request is in flight or {@code timeout} passes; true if idle. */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (numInFlight > 0) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            wait(leftMillis);
        }
        return true;
    }

    public synchronized int numInFlight() {
        return numInFlight;
    }

    static ApiError shuttingDown() {
        return new ApiError(503, "server_error", "the server is shutting down; retry on another instance", null,
                "shutting_down");
    }
}
