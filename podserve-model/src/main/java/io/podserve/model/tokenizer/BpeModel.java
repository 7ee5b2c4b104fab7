package io.podserve.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The BPE model: turns one pre-tokenized piece into token ids. Each character starts as its own
 * symbol (or its {@code <0xXX>} byte tokens, or the unknown token), then merge rules join
 * adjacent symbols in rank order. Thread-safe; results are cached per piece.
 */
final class BpeModel {
    /** Settings of a BPE model besides its vocabulary and merges. */
    record Options(
            String unkToken,
            boolean fuseUnk,
            boolean byteFallback,
            boolean ignoreMerges,
            String continuingSubwordPrefix,
            String endOfWordSuffix) {}

    private static final int CACHE_CAPACITY = 10_000;

    private final Map<String, Integer> vocab;
    private final MergeTable merges;
    private final Options options;
    private final int unkId;
    /** Ids of single-character tokens, by character; -1 where there is none. */
    private final int[] charIds = new int[Character.MAX_VALUE + 1];
    /** Ids of the {@code <0xXX>} tokens by byte value, or null without byte fallback. */
    private final int[] byteIds;
    private final boolean plainSymbols;
    private final WordCache cache = new WordCache(CACHE_CAPACITY);

    /**
     * @param merges each rule as its two token strings, highest priority first
     * @throws IllegalArgumentException naming the first rule or token the vocabulary lacks
     */
    BpeModel(Map<String, Integer> vocab, List<String[]> merges, Options options) {
        this.vocab = vocab;
        this.options = options;
        this.unkId = options.unkToken() == null ? -1 : requireId(options.unkToken(), "unk_token");
        this.plainSymbols = isEmpty(options.continuingSubwordPrefix())
                && isEmpty(options.endOfWordSuffix());
        Arrays.fill(charIds, -1);
        vocab.forEach((token, id) -> {
            if (token.length() == 1) {
                charIds[token.charAt(0)] = id;
            }
        });
        this.byteIds = options.byteFallback() ? byteTokenIds() : null;
        this.merges = mergeTable(merges);
    }

    /** Appends the ids of {@code piece} to {@code out}. */
    void tokenize(String piece, IntList out) {
        if (piece.isEmpty()) {
            return;
        }
        if (options.ignoreMerges()) {
            Integer whole = vocab.get(piece);
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = mergeWord(piece);
            cache.put(piece, ids);
        }
        out.addAll(ids);
    }

    Map<String, Integer> vocab() {
        return vocab;
    }

    private int[] mergeWord(String word) {
        IntList symbols = new IntList(word.length());
        boolean unkPending = false;
        for (int start = 0; start < word.length(); ) {
            int end = start + Character.charCount(word.codePointAt(start));
            int id = symbolId(word, start, end);
            if (id >= 0) {
                if (unkPending) {
                    symbols.add(unkId);
                    unkPending = false;
                }
                symbols.add(id);
            } else if (!addByteTokens(symbolText(word, start, end), symbols) && unkId >= 0) {
                // NOTE: a pending unknown is not flushed before byte tokens, so it lands after
                // them: that is what HF does, and matching ids matter more than tidiness here.
                if (unkPending && !options.fuseUnk()) {
                    symbols.add(unkId);
                }
                unkPending = true;
            }
            start = end;
        }
        if (unkPending) {
            symbols.add(unkId);
        }
        int[] ids = symbols.toArray();
        return Arrays.copyOf(ids, BpeMerger.merge(ids, ids.length, merges));
    }

    private int symbolId(String word, int start, int end) {
        if (plainSymbols && end - start == 1) {
            return charIds[word.charAt(start)];
        }
        Integer id = vocab.get(symbolText(word, start, end));
        return id == null ? -1 : id;
    }

    /** The vocabulary form of one character: with the subword prefix unless first, suffix if last. */
    private String symbolText(String word, int start, int end) {
        String text = word.substring(start, end);
        if (start > 0 && !isEmpty(options.continuingSubwordPrefix())) {
            text = options.continuingSubwordPrefix() + text;
        }
        if (end == word.length() && !isEmpty(options.endOfWordSuffix())) {
            text = text + options.endOfWordSuffix();
        }
        return text;
    }

    /** Adds the byte tokens of {@code text}, all or none; false if byte fallback cannot cover it. */
    private boolean addByteTokens(String text, IntList symbols) {
        if (byteIds == null) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (byteIds[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : bytes) {
            symbols.add(byteIds[b & 0xFF]);
        }
        return true;
    }

    private int[] byteTokenIds() {
        int[] ids = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.format("<0x%02X>", b));
            ids[b] = id == null ? -1 : id;
        }
        return ids;
    }

    private MergeTable mergeTable(List<String[]> rules) {
        MergeTable table = new MergeTable(rules.size());
        String prefix = options.continuingSubwordPrefix();
        for (int rank = 0; rank < rules.size(); rank++) {
            String left = rules.get(rank)[0];
            String right = rules.get(rank)[1];
            String rightBody = !isEmpty(prefix) && right.startsWith(prefix)
                    ? right.substring(prefix.length())
                    : right;
            String where = "merges[" + rank + "] (\"" + left + "\", \"" + right + "\")";
            table.put(requireId(left, where), requireId(right, where),
                    rank, requireId(left + rightBody, where));
        }
        return table;
    }

    private int requireId(String token, String where) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(where + ": token \"" + token + "\" is not in the vocabulary");
        }
        return id;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
