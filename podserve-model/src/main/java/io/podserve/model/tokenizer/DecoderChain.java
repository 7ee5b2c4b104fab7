package io.podserve.model.tokenizer;

import java.util.List;

/** The decoder steps of a tokenizer, in order; builds a fresh stream of stages per decode. */
record DecoderChain(List<Step> steps) {
    /** Makes one step's stage, feeding {@code next}. */
    @FunctionalInterface
    interface Step {
        DecodeStage feeding(DecodeStage next);
    }

    /** What HF does without a decoder: join the tokens with spaces. */
    static DecoderChain none() {
        return new DecoderChain(List.of(TextDecodeStages.SpaceJoin::new));
    }

    /** The first stage of a new chain ending in {@code output}. */
    DecodeStage build(DecodeStage.Output output) {
        DecodeStage stage = output;
        for (int i = steps.size() - 1; i >= 0; i--) {
            stage = steps.get(i).feeding(stage);
        }
        return stage;
    }
}
