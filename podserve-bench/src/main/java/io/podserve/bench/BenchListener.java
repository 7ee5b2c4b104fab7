package io.podserve.bench;

import io.podserve.bench.client.RequestRecord;

/** What a run tells its caller as it goes (a progress bar, say). Both methods do nothing by default. */
public interface BenchListener {
    /** The prompts are loaded and the warm-up passed: {@code numRequests} measured requests start now. */
    default void started(int numRequests) {
    }

    /** One measured request finished; called from that request's thread, so concurrently. */
    default void requestDone(RequestRecord record) {
    }
}
