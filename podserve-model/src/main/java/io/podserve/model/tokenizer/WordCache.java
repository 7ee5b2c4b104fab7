package io.podserve.model.tokenizer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the ids of recently merged words; text repeats words heavily, so most pieces skip the
 * merge loop. Shared by all threads using one tokenizer.
 */
final class WordCache {
    /** Longer pieces are rare and would only crowd out common words. */
    private static final int MAX_WORD_LENGTH = 256;

    private final ConcurrentHashMap<String, int[]> words;
    private final int capacity;

    WordCache(int capacity) {
        this.capacity = capacity;
        this.words = new ConcurrentHashMap<>(capacity * 2);
    }

    int[] get(String word) {
        return words.get(word);
    }

    void put(String word, int[] ids) {
        if (word.length() > MAX_WORD_LENGTH) {
            return;
        }
        // NOTE: when full the cache starts over instead of tracking recency: clearing is cheap, it
        // keeps the bound without per-hit bookkeeping, and a long-running server's vocabulary of
        // hot words refills it within a few requests.
        if (words.size() >= capacity) {
            words.clear();
        }
        words.put(word, ids);
    }
}
