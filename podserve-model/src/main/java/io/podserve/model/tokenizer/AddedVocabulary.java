package io.podserve.model.tokenizer;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code added_tokens} of a tokenizer: finds them in input text, raw ones before
 * normalization and normalized ones after, and knows which contents are special.
 */
final class AddedVocabulary {
    private final List<AddedToken> tokens;
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final Set<String> specialContents = new HashSet<>();

    /**
     * @param normalizer applied to the content of normalized tokens to get what to look for, as
     *     HF does; null for none
     */
    AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        this.tokens = List.copyOf(tokens);
        Map<String, AddedToken> raw = new LinkedHashMap<>();
        Map<String, AddedToken> normalized = new LinkedHashMap<>();
        for (AddedToken token : tokens) {
            if (token.special()) {
                specialContents.add(token.content());
            }
            if (token.normalized()) {
                String pattern = normalizer == null ? token.content() : normalizer.normalize(token.content());
                normalized.putIfAbsent(pattern, token);
            } else {
                raw.putIfAbsent(token.content(), token);
            }
        }
        this.rawMatcher = new AddedTokenMatcher(raw);
        this.normalizedMatcher = new AddedTokenMatcher(normalized);
    }

    List<AddedToken> tokens() {
        return tokens;
    }

    /** Whether a token with this content is special (HF decides by content, not by id). */
    boolean isSpecialContent(String content) {
        return specialContents.contains(content);
    }

    /** Splits raw input on the tokens that match before normalization. */
    void splitRaw(String text, AddedTokenMatcher.SegmentSink out) {
        split(rawMatcher, text, out);
    }

    /** Splits a normalized segment on the tokens that match after normalization. */
    void splitNormalized(String text, AddedTokenMatcher.SegmentSink out) {
        split(normalizedMatcher, text, out);
    }

    private static void split(AddedTokenMatcher matcher, String text, AddedTokenMatcher.SegmentSink out) {
        if (matcher.isEmpty()) {
            if (!text.isEmpty()) {
                out.segment(0, text.length(), -1);
            }
        } else {
            matcher.split(text, out);
        }
    }
}
