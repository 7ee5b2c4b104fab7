package io.podserve.planner.cost;

/** Step time of one data-parallel rank of a deployment side, as the simulator asks for it. */
public interface StepModel {
    /** Seconds one step of this batch takes, host dispatch included. */
    default double seconds(StepBatch b) {
        return breakdown(b).seconds();
    }

    /** The step's operators, for {@code --explain}. */
    StepBreakdown breakdown(StepBatch b);

    /** Tokens of KV cache one rank holds after its weights. */
    long kvCapacityTokens();

    /** KV bytes one token of context costs on each chip of a rank. */
    double kvBytesPerToken();

    /** Weight bytes on the fullest chip. */
    double weightBytesPerChip();
}
