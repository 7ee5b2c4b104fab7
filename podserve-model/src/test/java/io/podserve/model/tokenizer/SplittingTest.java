package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Split behaviours, Digits and Metaspace splitting, on the examples HF documents. */
class SplittingTest {
    private static List<String> pieces(PreTokenizer preTokenizer, String text) {
        List<String> out = new ArrayList<>();
        preTokenizer.split(text, true, (piece, atStart) -> out.add(piece));
        return out;
    }

    private static List<String> split(SplitBehavior behavior, boolean invert, String text) {
        return pieces(new SplitPreTokenizer(new MatchFinder.Literal("-"), behavior, invert), text);
    }

    @Test
    void behavioursOnTheDocumentedExample() {
        String text = "the-final--countdown";
        assertEquals(List.of("the", "final", "countdown"), split(SplitBehavior.REMOVED, false, text));
        assertEquals(List.of("the", "-", "final", "-", "-", "countdown"), split(SplitBehavior.ISOLATED, false, text));
        assertEquals(List.of("the-", "final-", "-", "countdown"), split(SplitBehavior.MERGED_WITH_PREVIOUS, false, text));
        assertEquals(List.of("the", "-final", "-", "-countdown"), split(SplitBehavior.MERGED_WITH_NEXT, false, text));
        assertEquals(List.of("the", "-", "final", "--", "countdown"), split(SplitBehavior.CONTIGUOUS, false, text));
    }

    @Test
    void invertSwapsMatchesAndGaps() {
        assertEquals(List.of("-", "-", "-"), split(SplitBehavior.REMOVED, true, "the-final--countdown"));
        assertEquals(List.of("the-", "final-", "-", "countdown"), split(SplitBehavior.MERGED_WITH_NEXT, true, "the-final--countdown"));
    }

    @Test
    void digitsIndividuallyOrContiguously() {
        assertEquals(List.of("Call ", "1", "2", "3", " please"), pieces(SplitPreTokenizer.digits(true), "Call 123 please"));
        assertEquals(List.of("Call ", "123", " please ", "٣٤"), pieces(SplitPreTokenizer.digits(false), "Call 123 please ٣٤"));
    }

    @Test
    void metaspaceStartsAPieceAtEveryReplacement() {
        PreTokenizer always = new MetaspacePreTokenizer("▁", MetaspacePreTokenizer.PrependScheme.ALWAYS, true);
        assertEquals(List.of("▁Hey", "▁", "▁", "▁friend!"), pieces(always, "Hey   friend!"));
        PreTokenizer unsplit = new MetaspacePreTokenizer("▁", MetaspacePreTokenizer.PrependScheme.NEVER, false);
        assertEquals(List.of("Hey▁friend"), pieces(unsplit, "Hey friend"));
    }

    @Test
    void metaspaceFirstPrependsOnlyAtTheStartOfTheInput() {
        PreTokenizer first = new MetaspacePreTokenizer("▁", MetaspacePreTokenizer.PrependScheme.FIRST, true);
        List<String> out = new ArrayList<>();
        first.split("hello", false, (piece, atStart) -> out.add(piece));
        assertEquals(List.of("hello"), out);
        assertEquals(List.of("▁hello"), pieces(first, "hello"));
    }

    @Test
    void byteLevelWithPrefixSpaceAndGpt2Regex() {
        PreTokenizer byteLevel = new ByteLevelPreTokenizer(true, true);
        assertEquals(List.of("ĠHello", "Ġmy", "Ġfriend", ",", "Ġhow", "'s", "ĠĠ", "Ġit", "Ċ"),
                pieces(byteLevel, "Hello my friend, how's   it\n"));
    }
}
