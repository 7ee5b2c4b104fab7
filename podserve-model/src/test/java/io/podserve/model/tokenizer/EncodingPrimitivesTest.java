package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** UTF-8 streaming, the byte-level alphabet, onig regex translation and the merge loop. */
class EncodingPrimitivesTest {

    private static String lossy(byte... bytes) {
        Utf8Stream utf8 = new Utf8Stream();
        utf8.feed(bytes);
        utf8.finish();
        return utf8.take();
    }

    @Test
    void utf8ReplacesEachMaximalInvalidSubpartOnce() {
        assertEquals("\uFFFDA", lossy((byte) 0xE4, (byte) 0xB8, (byte) 0x41));
        assertEquals("\uFFFD", lossy((byte) 0xF0, (byte) 0x9F, (byte) 0x98));
        assertEquals("\uFFFD\uFFFD", lossy((byte) 0xC0, (byte) 0x80));
        // Expected values as Python's bytes.decode("utf-8", "replace") gives them.
        assertEquals("\uFFFD\uFFFD\uFFFD", lossy((byte) 0xED, (byte) 0xA0, (byte) 0x80));
        assertEquals("\uFFFD\uFFFD\uFFFD", lossy((byte) 0x96, (byte) 0xED, (byte) 0xB9));
        assertEquals("\uFFFD\uFFFD\uFFFD", lossy((byte) 0xF4, (byte) 0x90, (byte) 0x80));
        assertEquals("\uD83D\uDE00", lossy((byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80));
    }

    /**
     * Java's own decoder also substitutes maximal subparts, except after ED (the surrogate range),
     * where it swallows the next byte while Rust, Python and the Unicode recommendation do not.
     */
    @Test
    void utf8AgreesWithTheJdkOnRandomBytesOutsideTheSurrogateRange() {
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
                if (bytes[j] == (byte) 0xED) {
                    bytes[j] = (byte) 0xEE;
                }
            }
            assertEquals(new String(bytes, StandardCharsets.UTF_8), lossy(bytes), java.util.Arrays.toString(bytes));
        }
    }

    @Test
    void utf8HoldsIncompleteCharactersBack() {
        Utf8Stream utf8 = new Utf8Stream();
        utf8.feed(new byte[] {'a', (byte) 0xE5, (byte) 0x8F});
        assertEquals("a", utf8.take());
        utf8.feed(new byte[] {(byte) 0xAB});
        assertEquals("叫", utf8.take());
    }

    @Test
    void byteLevelAlphabetRoundTrips() {
        String text = "Hi é 叫 😀\n\t\u0000";
        String encoded = ByteLevelAlphabet.encode(text);
        assertEquals("HiĠÃ©Ġåı«ĠðŁĺĢĊĉĀ", encoded);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), ByteLevelAlphabet.decode(encoded));
    }

    @Test
    void onigConstructsTranslateToJava() {
        assertEquals("\\P{L}", OnigRegex.translate("\\p{^L}"));
        assertEquals("[\\p{Alpha}\\P{Digit}]", OnigRegex.translate("[[:alpha:][:^digit:]]"));
        assertEquals("[0-9a-fA-F]+", OnigRegex.translate("\\h+"));
        assertEquals("\\p{IsHan}", OnigRegex.translate("\\p{Han}"));
        assertEquals("[^\\r\\n\\p{L}\\p{N}]?\\p{L}+", OnigRegex.translate("[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"));
    }

    @Test
    void onigWhitespaceAndCaseAreUnicode() {
        Pattern spaces = OnigRegex.compile("\\s+(?!\\S)|\\s+");
        assertTrue(spaces.matcher("\u3000\u00A0\u0085 ").matches());
        Pattern contraction = OnigRegex.compile("(?i:'s|'t)");
        assertTrue(contraction.matcher("'S").matches());
    }

    @Test
    void mergesApplyLowestRankFirstLeftmostOnTies() {
        // ids: a=0 b=1 ab=2 aa=3 aab=4; rules by rank: (a,a)->aa, (a,b)->ab, (aa,b)->aab
        MergeTable merges = new MergeTable(3);
        merges.put(0, 0, 0, 3);
        merges.put(0, 1, 1, 2);
        merges.put(3, 1, 2, 4);
        int[] aaab = {0, 0, 0, 1};
        int kept = BpeMerger.merge(aaab, 4, merges);
        // (a,a) at 0 wins over (a,a) at 1; then (a,b) at 2; aa+ab has no rule.
        assertArrayEquals(new int[] {3, 2}, java.util.Arrays.copyOf(aaab, kept));
        int[] aab = {0, 0, 1};
        assertArrayEquals(new int[] {4}, java.util.Arrays.copyOf(aab, BpeMerger.merge(aab, 3, merges)));
    }
}
