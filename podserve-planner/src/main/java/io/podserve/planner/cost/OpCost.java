package io.podserve.planner.cost;

/**
 * One operator of a step on one chip, summed over the layers it runs in.
 *
 * @param name    what it is ({@code qkv_proj}, {@code experts}, {@code ep_dispatch}, …)
 * @param kind    what bounds it
 * @param flops   FLOPs over all its layers
 * @param bytes   bytes moved over all its layers (memory traffic, or bytes sent for communication)
 * @param seconds device (or link) time over all its layers
 * @param kernels kernel launches over all its layers
 */
public record OpCost(String name, Kind kind, double flops, double bytes, double seconds, int kernels) {

    /** What limits an operator: its place in the step's bottleneck report. */
    public enum Kind {
        COMPUTE("compute"), WEIGHTS("weight reads"), KV("KV reads"), COMM("communication"), HOST("host dispatch");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
