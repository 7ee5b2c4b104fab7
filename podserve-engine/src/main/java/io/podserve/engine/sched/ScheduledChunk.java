package io.podserve.engine.sched;

/**
 * Tokens {@code [start, start + numTokens)} of a request to run this step. {@code samples}: the
 * chunk reaches the request's last token, so its last row's logits pick the next token.
 */
public record ScheduledChunk(Request request, int start, int numTokens, boolean samples) {
}
