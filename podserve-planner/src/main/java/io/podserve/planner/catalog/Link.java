package io.podserve.planner.catalog;

/**
 * One level of interconnect under the alpha-beta model: moving {@code bytes} costs
 * {@code latency + bytes / bandwidth}.
 *
 * @param bandwidth bytes per second one chip can send (one direction)
 * @param latency   seconds of fixed cost per message
 */
public record Link(double bandwidth, double latency) {
    public Link {
        if (!(bandwidth > 0) || latency < 0) {
            throw new IllegalArgumentException("a link needs bandwidth > 0 and latency >= 0, got " + bandwidth + ", " + latency);
        }
    }

    public double seconds(double bytes) {
        return latency + bytes / bandwidth;
    }
}
