package io.podserve.server.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What every object of one response repeats (id, creation time, model, whether logprobs are
 * reported), plus the running text offset that text-completion logprobs carry. Owned by the
 * request's handler thread.
 */
public final class ResponseContext {
    private final String id;
    private final long created;
    private final ServedModel model;
    private final boolean logprobs;
    private final boolean includeUsage;
    private final boolean tokensAsIds;
    private int textOffset;

    public ResponseContext(String id, long createdEpochSeconds, ServedModel model, ParsedRequest request) {
        this.id = id;
        this.created = createdEpochSeconds;
        this.model = model;
        this.logprobs = request.logprobs();
        this.includeUsage = request.stream() && request.includeUsage();
        this.tokensAsIds = request.tokensAsIds();
    }

    public String id() {
        return id;
    }

    /** How a token reads in logprobs: its text, or {@code token_id:N} when the client asked for ids. */
    String tokenText(int id) {
        return tokensAsIds ? "token_id:" + id : model.tokenText(id);
    }

    boolean logprobs() {
        return logprobs;
    }

    /** Advances the text offset by {@code length} characters and returns where they start. */
    int advanceTextOffset(int length) {
        int start = textOffset;
        textOffset += length;
        return start;
    }

    /** {@code id, object, created, model}, and with include_usage a {@code usage: null} on every chunk. */
    ObjectNode envelope(String object) {
        ObjectNode o = CompletionApi.object();
        o.put("id", id);
        o.put("object", object);
        o.put("created", created);
        o.put("model", model.name());
        if (includeUsage) { // only ever set on a stream, so this object is a chunk
            o.putNull("usage");
        }
        return o;
    }
}
