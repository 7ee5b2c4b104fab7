package io.podserve.model.tokenizer;

/**
 * Decodes UTF-8 fed a byte at a time, the way Rust's {@code String::from_utf8_lossy} does: each
 * maximal invalid subpart becomes one U+FFFD. A sequence that is still incomplete is held back
 * until its last byte arrives, so what {@link #take} returns never ends in half a character.
 */
final class Utf8Stream {
    private static final char REPLACEMENT = '\uFFFD';

    private final StringBuilder out = new StringBuilder();
    private int pending;
    private int codePoint;
    private int lower = 0x80;
    private int upper = 0xBF;
    private int replacements;

    void feed(byte[] bytes) {
        for (byte b : bytes) {
            feed(b & 0xFF);
        }
    }

    void feed(int b) {
        if (pending > 0) {
            if (b >= lower && b <= upper) {
                continueSequence(b);
                return;
            }
            replace();
        }
        startSequence(b);
    }

    /** Ends the input: a sequence still waiting for bytes becomes one U+FFFD. */
    void finish() {
        if (pending > 0) {
            replace();
        }
    }

    /** The text decoded so far and not yet taken. */
    String take() {
        String text = out.toString();
        out.setLength(0);
        return text;
    }

    /** How many U+FFFD were produced for invalid input since this stream was made. */
    int replacements() {
        return replacements;
    }

    private void startSequence(int b) {
        if (b < 0x80) {
            out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            expect(1, b & 0x1F, 0x80, 0xBF);
        } else if (b >= 0xE0 && b <= 0xEF) {
            // Bounds on the second byte exclude overlong forms (E0) and surrogates (ED).
            expect(2, b & 0x0F, b == 0xE0 ? 0xA0 : 0x80, b == 0xED ? 0x9F : 0xBF);
        } else if (b >= 0xF0 && b <= 0xF4) {
            // Bounds exclude overlong forms (F0) and code points above U+10FFFF (F4).
            expect(3, b & 0x07, b == 0xF0 ? 0x90 : 0x80, b == 0xF4 ? 0x8F : 0xBF);
        } else {
            out.append(REPLACEMENT);
            replacements++;
        }
    }

    private void expect(int continuationBytes, int bits, int secondLower, int secondUpper) {
        pending = continuationBytes;
        codePoint = bits;
        lower = secondLower;
        upper = secondUpper;
    }

    private void continueSequence(int b) {
        codePoint = (codePoint << 6) | (b & 0x3F);
        lower = 0x80;
        upper = 0xBF;
        if (--pending == 0) {
            out.appendCodePoint(codePoint);
        }
    }

    private void replace() {
        out.append(REPLACEMENT);
        replacements++;
        pending = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
