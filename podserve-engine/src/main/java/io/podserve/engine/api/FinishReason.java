package io.podserve.engine.api;

/** Why a request's output ended, spelled as OpenAI's {@code finish_reason}. */
public enum FinishReason {
    /** An eos id, a stop token id or a stop string. */
    STOP("stop"),
    /** max_tokens reached. */
    LENGTH("length"),
    /** Cancelled (client gone) or ended by shutdown. */
    ABORT("abort");

    private final String openAiName;

    FinishReason(String openAiName) {
        this.openAiName = openAiName;
    }

    public String openAiName() {
        return openAiName;
    }
}
