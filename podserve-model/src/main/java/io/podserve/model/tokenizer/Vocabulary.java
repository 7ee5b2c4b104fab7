package io.podserve.model.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Every token of a tokenizer by id and by text: the model's vocabulary plus added tokens. */
final class Vocabulary {
    private final String[] tokens;
    private final boolean[] special;
    private final Map<String, Integer> ids;

    Vocabulary(Map<String, Integer> modelVocab, AddedVocabulary added) {
        int size = 0;
        for (int id : modelVocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (AddedToken token : added.tokens()) {
            size = Math.max(size, token.id() + 1);
        }
        tokens = new String[size];
        modelVocab.forEach((token, id) -> tokens[id] = token);
        ids = new HashMap<>(modelVocab);
        for (AddedToken token : added.tokens()) {
            tokens[token.id()] = token.content();
            ids.put(token.content(), token.id());
        }
        special = new boolean[size];
        for (int id = 0; id < size; id++) {
            special[id] = tokens[id] != null && added.isSpecialContent(tokens[id]);
        }
    }

    /** One more than the highest id. */
    int size() {
        return tokens.length;
    }

    /** @throws IllegalArgumentException for an id out of range or one no token has */
    String token(int id) {
        checkId(id);
        String token = tokens[id];
        if (token == null) {
            throw new IllegalArgumentException("token id " + id + " has no token in this vocabulary");
        }
        return token;
    }

    OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    boolean isSpecial(int id) {
        checkId(id);
        return special[id];
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException(
                    "token id " + id + " is out of range: the vocabulary size is " + tokens.length);
        }
    }
}
