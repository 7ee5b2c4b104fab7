package io.podserve.server.http;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits completion requests until the server starts draining, and counts those in flight so a
 * graceful shutdown can wait for their responses to be written. Thread-safe.
 */
public final class RequestGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int numInFlight;
    private boolean draining;

    /** A pass for one request; closing it marks the response written. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Admits a request, or answers 503 once the server is shutting down. */
    Pass enter() {
        lock.lock();
        try {
            if (draining) {
                throw shuttingDown();
            }
            numInFlight++;
        } finally {
            lock.unlock();
        }
        return this::leave;
    }

    private void leave() {
        lock.lock();
        try {
            if (--numInFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean draining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests from now on. */
    public void startDraining() {
        lock.lock();
        try {
            draining = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no request is in flight or {@code timeout} passes; true if idle. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (numInFlight > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public int numInFlight() {
        lock.lock();
        try {
            return numInFlight;
        } finally {
            lock.unlock();
        }
    }

    static ApiError shuttingDown() {
        return new ApiError(503, "server_error", "the server is shutting down; retry on another instance", null,
                "shutting_down");
    }
}
