package io.podserve.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.GenerationHandle;

/**
 * A request's handle: the engine thread offers events, the request's reader polls them. The queue
 * is unbounded so a slow reader never blocks the engine; a request's events are bounded by its
 * max_tokens anyway.
 */
final class EventStream implements GenerationHandle {
    private final String id;
    private final long engineId;
    private final LongConsumer canceller;
    private final LinkedBlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();

    EventStream(String id, long engineId, LongConsumer canceller) {
        this.id = id;
        this.engineId = engineId;
        this.canceller = canceller;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public GenerationEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        return events.poll(timeout, unit);
    }

    @Override
    public void cancel() {
        canceller.accept(engineId);
    }

    void offer(GenerationEvent event) {
        events.add(event);
    }
}
