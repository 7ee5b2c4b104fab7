package io.podserve.server.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.engine.api.TokenOutput;

import java.util.List;

/**
 * One of the two completion endpoints, chat or text: how it reads a request and how it shapes a
 * response and stream chunks. The HTTP handler drives the engine the same way for both.
 */
public sealed interface CompletionApi permits ChatApi, TextApi {

    /**
     * The endpoint's names on the wire.
     *
     * @param path        route, e.g. {@code /v1/chat/completions}
     * @param idPrefix    prefix of response ids: {@code chatcmpl-} or {@code cmpl-}
     * @param chunkObject object name of stream chunks, e.g. {@code chat.completion.chunk}
     */
    record Names(String path, String idPrefix, String chunkObject) {
    }

    Names names();

    /** Reads and checks the body (its {@code model} already matched); a 400 names the faulty field. */
    ParsedRequest parse(Fields body, ServedModel model, int maxModelLen);

    /** The whole non-streamed response. */
    ObjectNode response(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason, Usage usage);

    /** The chunk that opens a stream, or null when the endpoint sends none (chat: the role). */
    ObjectNode openingChunk(ResponseContext rc);

    /** A stream chunk with new text (possibly empty) and, on the last one, the finish reason (else null). */
    ObjectNode chunk(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason);

    /** The last chunk with include_usage: no choices, the request's usage. */
    default ObjectNode usageChunk(ResponseContext rc, Usage usage) {
        ObjectNode c = rc.envelope(names().chunkObject());
        c.putArray("choices");
        c.set("usage", usage.toJson());
        return c;
    }

    /** Parses {@code body} as the request for this endpoint; the entry point for handlers outside this package. */
    default ParsedRequest parse(ObjectNode body, ServedModel model, int maxModelLen) {
        return parse(new Fields(body), model, maxModelLen);
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
