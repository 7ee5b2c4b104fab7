package io.podserve.model.tokenizer;

import java.util.List;
import java.util.Random;

/**
 * Random valid Unicode text for property tests: words, Latin-1, CJK, emoji and other astral code
 * points, whitespace runs, newlines, digits, punctuation and given added-token strings.
 */
final class RandomText {
    private static final String[] WHITESPACE = {" ", "  ", "\t", "\n", "\r\n", "\n\n", "\u00A0", "\u3000", "\u2002", "   \n"};
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~·¿«»—…“”";

    private final Random random;
    private final List<String> addedTokens;

    RandomText(long seed, List<String> addedTokens) {
        this.random = new Random(seed);
        this.addedTokens = addedTokens;
    }

    String next() {
        StringBuilder out = new StringBuilder();
        int parts = random.nextInt(12);
        for (int i = 0; i < parts; i++) {
            appendPart(out);
        }
        return out.toString();
    }

    private void appendPart(StringBuilder out) {
        switch (random.nextInt(10)) {
            case 0, 1 -> appendRun(out, 'a', 26, 1 + random.nextInt(8));
            case 2 -> appendRun(out, 0xC0, 0x40, 1 + random.nextInt(4));
            case 3 -> appendRun(out, 0x4E00, 0x5000, 1 + random.nextInt(4));
            case 4 -> appendRun(out, random.nextBoolean() ? 0x1F300 : 0x10000, 0x300, 1 + random.nextInt(3));
            case 5 -> out.append(WHITESPACE[random.nextInt(WHITESPACE.length)]);
            case 6 -> appendRun(out, '0', 10, 1 + random.nextInt(6));
            case 7 -> out.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
            case 8 -> out.append(addedTokens.isEmpty() ? "x" : addedTokens.get(random.nextInt(addedTokens.size())));
            default -> out.appendCodePoint(anyCodePoint());
        }
    }

    private void appendRun(StringBuilder out, int first, int range, int count) {
        for (int i = 0; i < count; i++) {
            out.appendCodePoint(first + random.nextInt(range));
        }
    }

    /** Any assigned-or-not code point except surrogates, which are not characters. */
    private int anyCodePoint() {
        while (true) {
            int cp = random.nextInt(random.nextBoolean() ? 0x3000 : Character.MAX_CODE_POINT + 1);
            if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
                return cp;
            }
        }
    }
}
