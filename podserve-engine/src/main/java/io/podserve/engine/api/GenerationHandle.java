package io.podserve.engine.api;

import java.util.concurrent.TimeUnit;

/**
 * A submitted request's side of the engine: its events in order, and cancellation. Read by one
 * thread (the request's HTTP handler); {@link #cancel()} may come from any thread.
 */
public interface GenerationHandle {

    String id();

    /**
     * The next event, waiting up to {@code timeout}; null if none came in time. After a
     * {@link GenerationEvent.Finished} or {@link GenerationEvent.Failed} there are no more events.
     */
    GenerationEvent poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** Ends the request (the client went away); its stream ends with {@code Finished(ABORT)}. */
    void cancel();
}
