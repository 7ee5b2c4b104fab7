package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small hand-written SentencePiece-style tokenizer (test resource handwritten-spm.json) for the
 * settings the reference files do not use: Metaspace "always" and "never", Digits, unknown-token
 * fusion without byte fallback, lstrip/rstrip/single_word added tokens, legacy "a b" merges, a
 * BOS+EOS template and Strip with a stop. Each expectation is worked out by hand from HF's rules.
 *
 * <p>Vocabulary: {@code <unk>=0 <s>=1 </s>=2 ▁=3 a=4 b=5 c=6 ▁a=7 ab=8 ▁ab=9 1=10 2=11 ▁b=13
 * ▁abc=16} (no merge reaches ▁abc),
 * added {@code <mask>=12 ca=14 <r>=15}; merges by rank: (a,b) (▁,a) (▁,ab) (▁,b).
 */
class HandWrittenSentencePieceTest {
    private static String json;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = HandWrittenSentencePieceTest.class.getResourceAsStream("/tokenizer/handwritten-spm.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        tokenizer = Tokenizer.fromJson(json);
    }

    @Test
    void mergesFollowRankNotPosition() {
        // ▁ a b: (a,b) has rank 0, so ▁ + ab, then (▁,ab).
        assertArrayEquals(new int[] {9}, tokenizer.encode("ab"));
    }

    @Test
    void alwaysPrependsToEverySegmentAndDigitsSplitFirst() {
        // Digits: "ab" "1" "2"; each piece gets ▁ (scheme always): ▁ab, ▁ 1, ▁ 2.
        assertArrayEquals(new int[] {9, 3, 10, 3, 11}, tokenizer.encode("ab12"));
    }

    @Test
    void consecutiveUnknownCharactersFuseIntoOneUnk() {
        assertArrayEquals(new int[] {3, 0}, tokenizer.encode("xyz"));
        assertArrayEquals(new int[] {7, 0, 4}, tokenizer.encode("axya"));
    }

    @Test
    void lstripTokenTakesTheSpacesBeforeIt() {
        // "a" | "  <mask>" | "b" -> ▁a, <mask>, ▁b (prepended again after the token: always).
        assertArrayEquals(new int[] {7, 12, 13}, tokenizer.encode("a  <mask>b"));
    }

    @Test
    void rstripTokenTakesTheSpacesAfterIt() {
        assertArrayEquals(new int[] {7, 15, 13}, tokenizer.encode("a<r>  b"));
    }

    @Test
    void singleWordTokenOnlyMatchesAlone() {
        // Inside "cab" it touches a word character: plain BPE, ▁ c ab.
        assertArrayEquals(new int[] {3, 6, 8}, tokenizer.encode("cab"));
        // "x " -> x▁ -> ▁x▁ -> "▁x" "▁"; then ca; then " y" -> "▁y".
        assertArrayEquals(new int[] {3, 0, 3, 14, 3, 0}, tokenizer.encode("x ca y"));
    }

    @Test
    void templateAddsBosAndEosOnlyWhenAsked() {
        assertArrayEquals(new int[] {1, 9, 2}, tokenizer.encode("ab", true));
        assertArrayEquals(new int[] {9}, tokenizer.encode("ab", false));
        assertArrayEquals(new int[] {1, 2}, tokenizer.encode("", true));
    }

    @Test
    void decodeStripsOneLeadingAndOneTrailingSpaceOfTheWholeText() {
        assertEquals("a<mask> b", tokenizer.decode(new int[] {7, 12, 13}));
        assertEquals("<unk> ca <unk>", tokenizer.decode(new int[] {3, 0, 3, 14, 3, 0}));
        assertEquals("a ", tokenizer.decode(new int[] {7, 3, 3}));
        assertEquals("<s>ab</s>", tokenizer.decode(new int[] {1, 8, 2}));
    }

    @Test
    void skippingSpecialTokensDecidesByContent() {
        assertEquals("a b", tokenizer.decode(new int[] {7, 15, 13}, true));
        assertEquals("a<r> b", tokenizer.decode(new int[] {7, 15, 13}, false));
        assertTrue(tokenizer.isSpecial(15));
        assertFalse(tokenizer.isSpecial(12));
    }

    @Test
    void streamingHoldsTheTrailingSpaceUntilMoreTextFollows() {
        StreamingDecoder stream = tokenizer.streamingDecoder();
        assertEquals("a", stream.next(7));
        assertEquals("", stream.next(3));
        assertEquals("  b", stream.next(13));
        assertEquals("", stream.next(3));
        assertEquals("", stream.flush());
    }

    @Test
    void ignoreMergesTakesWholePiecesFromTheVocabulary() {
        assertArrayEquals(new int[] {9, 6}, tokenizer.encode("abc"));
        Tokenizer ignoring = Tokenizer.fromJson(json.replace("\"ignore_merges\": false", "\"ignore_merges\": true"));
        assertArrayEquals(new int[] {16}, ignoring.encode("abc"));
    }

    @Test
    void neverPrependsNothing() {
        Tokenizer never = Tokenizer.fromJson(json.replace("\"prepend_scheme\": \"always\"", "\"prepend_scheme\": \"never\""));
        assertArrayEquals(new int[] {8}, never.encode("ab"));
        assertArrayEquals(new int[] {4, 13}, never.encode("a b"));
    }

    @Test
    void lookupsCoverModelAndAddedTokens() {
        assertEquals(17, tokenizer.vocabSize());
        assertEquals(9, tokenizer.tokenToId("▁ab").orElseThrow());
        assertEquals(12, tokenizer.tokenToId("<mask>").orElseThrow());
        assertTrue(tokenizer.tokenToId("zzz").isEmpty());
        assertEquals("ca", tokenizer.idToToken(14));
    }
}
