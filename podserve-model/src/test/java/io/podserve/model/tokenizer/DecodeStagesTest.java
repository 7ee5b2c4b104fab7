package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoder steps against the behaviour of HF's decoders, including their own unit-test cases. */
class DecodeStagesTest {

    /** Runs tokens through a chain; returns each token's output and then the flush output. */
    private static List<String> stream(DecoderChain chain, String... tokens) {
        DecodeStage.Output output = new DecodeStage.Output();
        DecodeStage first = chain.build(output);
        List<String> chunks = new ArrayList<>();
        for (String token : tokens) {
            first.startToken();
            first.text(token);
            first.endToken();
            chunks.add(output.take());
        }
        first.finish();
        chunks.add(output.take());
        return chunks;
    }

    private static String decode(DecoderChain chain, String... tokens) {
        return String.join("", stream(chain, tokens));
    }

    private static DecoderChain chain(DecoderChain.Step... steps) {
        return new DecoderChain(List.of(steps));
    }

    @Test
    void byteFallbackJoinsValidRunsAndReplacesEveryByteOfInvalidOnes() {
        DecoderChain chain = chain(ByteDecodeStages.ByteFallback::new);
        assertEquals("a", decode(chain, "<0x61>"));
        assertEquals("\uFFFD", decode(chain, "<0xE5>"));
        assertEquals("\uFFFD\uFFFD", decode(chain, "<0xE5>", "<0x8f>"));
        assertEquals("叫", decode(chain, "<0xE5>", "<0x8f>", "<0xab>"));
        assertEquals("叫a", decode(chain, "<0xE5>", "<0x8f>", "<0xab>", "a"));
        assertEquals("\uFFFD\uFFFDa", decode(chain, "<0xE5>", "<0x8f>", "a"));
        // A valid character followed by a stray byte: HF replaces the whole run, byte by byte.
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD!", decode(chain, "<0xE5>", "<0x8f>", "<0xab>", "<0x80>", "!"));
    }

    @Test
    void byteFallbackHoldsARunUntilItEnds() {
        assertEquals(List.of("x", "", "", "", "叫y", ""),
                stream(chain(ByteDecodeStages.ByteFallback::new), "x", "<0xE5>", "<0x8f>", "<0xab>", "y"));
    }

    @Test
    void byteLevelEmitsEachCharacterOnceComplete() {
        // "é" is C3 A9, written Ã and © in the byte-level alphabet.
        assertEquals(List.of("a", "", "é", "", "\uFFFD"),
                stream(chain(ByteDecodeStages.ByteLevel::new), "a", "Ã", "©", "Ã"));
    }

    @Test
    void byteLevelPassesTokensOutsideItsAlphabetAsTheirOwnBytes() {
        assertEquals("<｜end▁of▁sentence｜> x", decode(chain(ByteDecodeStages.ByteLevel::new), "<｜end▁of▁sentence｜>", "Ġx"));
    }

    @Test
    void stripCutsEachTokenAsHfDoes() {
        DecoderChain leading = chain(next -> new TextDecodeStages.Strip(next, 'H', 1, 0));
        assertEquals("ey friend!HH", decode(leading, "Hey", " friend!", "HHH"));
        DecoderChain trailing = chain(next -> new TextDecodeStages.Strip(next, 'y', 0, 1));
        assertEquals("He friend!", decode(trailing, "Hey", " friend!"));
    }

    @Test
    void stripAfterFuseHoldsTrailingCharactersUntilTheyAreNotTrailing() {
        DecoderChain chain = chain(TextDecodeStages.Fuse::new, next -> new TextDecodeStages.Strip(next, ' ', 1, 2));
        assertEquals(List.of("a", "", "", "   b", ""), stream(chain, " a", " ", " ", " b"));
        assertEquals(List.of("a", "", "", " ", " ", ""), stream(chain, " a", " ", " ", " ", " "));
    }

    @Test
    void metaspaceDropsReplacementsOnlyInTheFirstToken() {
        DecoderChain chain = chain(next -> new TextDecodeStages.Metaspace(next, '▁', true));
        assertEquals("Hey friend!", decode(chain, "▁Hey", "▁friend!"));
        assertEquals("ab c", decode(chain, "▁a▁b", "▁c"));
        DecoderChain never = chain(next -> new TextDecodeStages.Metaspace(next, '▁', false));
        assertEquals(" Hey friend!", decode(never, "▁Hey", "▁friend!"));
    }

    @Test
    void replaceHoldsOnlyWhatCouldStartAnOccurrence() {
        DecoderChain chain = chain(TextDecodeStages.Fuse::new, next -> new TextDecodeStages.Replace(next, "ab", "X"));
        assertEquals(List.of("", "X", "c", "X", "", "a"), stream(chain, "a", "b", "ca", "b", "a"));
    }

    @Test
    void legacySentencePieceChainStripsOnlyTheFirstSpace() {
        DecoderChain chain = chain(
                next -> new TextDecodeStages.Replace(next, "▁", " "),
                ByteDecodeStages.ByteFallback::new,
                TextDecodeStages.Fuse::new,
                next -> new TextDecodeStages.Strip(next, ' ', 1, 0));
        assertEquals(List.of("Hello", " world", "", "", "", "", "\uD83D\uDE00!", ""),
                stream(chain, "▁Hello", "▁world", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "!"));
    }

    @Test
    void noDecoderJoinsWithSpaces() {
        assertEquals("a  b", decode(DecoderChain.none(), "a", "", "b"));
    }
}
