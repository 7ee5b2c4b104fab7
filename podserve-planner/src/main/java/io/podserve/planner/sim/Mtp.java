package io.podserve.planner.sim;

/**
 * Multi-token prediction (speculative decoding with the model's own MTP head): each decode step
 * verifies {@code draftTokens} drafted tokens besides the one it samples; each is accepted with
 * {@code acceptance} given its predecessors were.
 */
public record Mtp(int draftTokens, double acceptance) {
    public static final Mtp NONE = new Mtp(0, 0);

    public Mtp {
        if (draftTokens < 0 || acceptance < 0 || acceptance > 1) {
            throw new IllegalArgumentException("MTP needs draft tokens >= 0 and an acceptance rate in [0, 1]");
        }
    }

    /** Mean tokens a decode step yields per sequence: 1 + p + p² + … + p^d. */
    public double tokensPerStep() {
        double sum = 1;
        double term = 1;
        for (int i = 0; i < draftTokens; i++) {
            term *= acceptance;
            sum += term;
        }
        return sum;
    }
}
