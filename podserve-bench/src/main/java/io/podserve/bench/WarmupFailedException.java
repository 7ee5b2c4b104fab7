package io.podserve.bench;

import java.net.URI;

/** The server failed a warm-up request, so the measured run did not start: wrong URL, model or server. */
public final class WarmupFailedException extends IllegalStateException {
    public WarmupFailedException(URI uri, String error) {
        super("the warm-up request to " + uri + " failed, so no measured request was sent: " + error
                + " (is the server up, and does it serve that --model?)");
    }
}
