package io.podserve.engine.api;

/**
 * A tokenized request: the server has rendered the chat template and tokenized the prompt.
 *
 * @param id       unique while the request lives (the server's {@code chatcmpl-…} id)
 * @param prompt   prompt token ids, at least one
 * @param sampling how to sample and when to stop
 */
public record GenerationRequest(String id, int[] prompt, SamplingOptions sampling) {
    public GenerationRequest {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("request " + id + ": the prompt is empty");
        }
    }
}
