package io.podserve.planner.sim;

/**
 * One request of a workload.
 *
 * @param arrival seconds from the start of the run
 * @param input   prompt tokens
 * @param output  tokens to generate (at least 1)
 */
public record RequestSpec(double arrival, int input, int output) {
    public RequestSpec {
        if (input < 1 || output < 1) {
            throw new IllegalArgumentException("a request needs input >= 1 and output >= 1 tokens, got " + input + ", " + output);
        }
    }
}
