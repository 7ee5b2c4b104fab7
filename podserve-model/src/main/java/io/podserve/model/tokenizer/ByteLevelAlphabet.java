package io.podserve.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible mapping of the 256 byte values onto printable characters: byte-level BPE
 * vocabularies are written in these characters, so encoding maps UTF-8 bytes to them and
 * decoding maps them back.
 */
public final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by character; -1 for characters outside the alphabet. */
    private static final short[] CHAR_TO_BYTE = new short[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The alphabet character standing for byte {@code b}. */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The UTF-8 bytes of {@code text}, each written as its alphabet character. */
    static String encode(String text) {
        int length = text.length();
        char[] out = new char[length * 3];
        int n = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[n++] = BYTE_TO_CHAR[c];
            } else if (c < 0x800) {
                out[n++] = BYTE_TO_CHAR[0xC0 | (c >> 6)];
                out[n++] = BYTE_TO_CHAR[0x80 | (c & 0x3F)];
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[n++] = BYTE_TO_CHAR[0xF0 | (cp >> 18)];
                out[n++] = BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3F)];
                out[n++] = BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3F)];
                out[n++] = BYTE_TO_CHAR[0x80 | (cp & 0x3F)];
            } else {
                // Rust strings cannot hold a lone surrogate; encode it as U+FFFD rather than fail.
                char unit = Character.isSurrogate(c) ? '\uFFFD' : c;
                out[n++] = BYTE_TO_CHAR[0xE0 | (unit >> 12)];
                out[n++] = BYTE_TO_CHAR[0x80 | ((unit >> 6) & 0x3F)];
                out[n++] = BYTE_TO_CHAR[0x80 | (unit & 0x3F)];
            }
        }
        return new String(out, 0, n);
    }

    /**
     * The bytes a token stands for: its characters mapped back through the alphabet, or, when any
     * character is outside it (added tokens such as {@code <｜begin▁of▁sentence｜>}), the token's
     * own UTF-8 bytes.
     */
    static byte[] decode(CharSequence token) {
        int length = token.length();
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                return token.toString().getBytes(StandardCharsets.UTF_8);
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
