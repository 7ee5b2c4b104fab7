package io.podserve.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.engine.api.TokenOutput;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The two logprobs shapes: chat's {@code content} list and text completions' parallel arrays. */
final class Logprobs {
    private Logprobs() {
    }

    /** Chat: {@code {"content": [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}], "refusal": null}}. */
    static ObjectNode chat(ResponseContext rc, List<TokenOutput> tokens) {
        ObjectNode lp = CompletionApi.object();
        ArrayNode content = lp.putArray("content");
        for (TokenOutput t : tokens) {
            ObjectNode entry = tokenEntry(rc, t.token(), t.logprob());
            ArrayNode top = entry.putArray("top_logprobs");
            for (int i = 0; i < t.topTokens().length; i++) {
                top.add(tokenEntry(rc, t.topTokens()[i], t.topLogprobs()[i]));
            }
            content.add(entry);
        }
        lp.putNull("refusal");
        return lp;
    }

    /** Text completions: {@code {tokens, token_logprobs, top_logprobs: [{token: logprob}], text_offset}}. */
    static ObjectNode text(ResponseContext rc, List<TokenOutput> tokens) {
        ObjectNode lp = CompletionApi.object();
        ArrayNode texts = lp.putArray("tokens");
        ArrayNode logprobs = lp.putArray("token_logprobs");
        ArrayNode tops = lp.putArray("top_logprobs");
        ArrayNode offsets = lp.putArray("text_offset");
        for (TokenOutput t : tokens) {
            String text = rc.tokenText(t.token());
            texts.add(text);
            logprobs.add(finite(t.logprob()));
            ObjectNode top = tops.addObject();
            for (int i = 0; i < t.topTokens().length; i++) {
                top.put(rc.tokenText(t.topTokens()[i]), finite(t.topLogprobs()[i]));
            }
            offsets.add(rc.advanceTextOffset(text.length()));
        }
        return lp;
    }

    private static ObjectNode tokenEntry(ResponseContext rc, int id, double logprob) {
        String text = rc.tokenText(id);
        ObjectNode e = CompletionApi.object();
        e.put("token", text);
        e.put("logprob", finite(logprob));
        ArrayNode bytes = e.putArray("bytes");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return e;
    }

    /** JSON has no -Infinity: a token the model rules out gets OpenAI's floor of -9999. */
    private static double finite(double logprob) {
        return Double.isFinite(logprob) ? logprob : -9999.0;
    }
}
