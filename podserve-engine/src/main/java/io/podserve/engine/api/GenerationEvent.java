package io.podserve.engine.api;

import java.util.List;

/** What a request's stream carries: output deltas, then exactly one {@link Finished} or {@link Failed}. */
public sealed interface GenerationEvent {

    /**
     * New output: the tokens sampled since the last delta and the text they complete. The text may
     * lag the tokens (an incomplete UTF-8 character, or text held back because it could begin a
     * stop string); the concatenation of all deltas' text is the final output text.
     */
    record Delta(String text, List<TokenOutput> tokens) implements GenerationEvent {
        public Delta {
            tokens = List.copyOf(tokens);
        }
    }

    /**
     * The end. {@code completionTokens} counts every generated token (including a stop token);
     * {@code cachedPromptTokens} were served from the prefix cache on the last admission.
     */
    record Finished(FinishReason reason, int promptTokens, int completionTokens, int cachedPromptTokens)
            implements GenerationEvent {
    }

    /** The engine could not finish the request (it failed or shut down hard); says why. */
    record Failed(String message) implements GenerationEvent {
    }
}
