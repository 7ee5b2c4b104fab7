package io.podserve.engine.output;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.podserve.model.tokenizer.Tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OutputTextTest {
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        String root = System.getProperty("podserve.models");
        assumeTrue(root != null, "podserve.models is not set");
        Path file = Path.of(root, "fortune-moe", "tokenizer.json");
        assumeTrue(Files.exists(file), file + " is missing");
        tokenizer = Tokenizer.load(file);
    }

    /** Feeds {@code text}'s tokens one by one; returns every released piece, the finish flush last. */
    private static List<String> stream(String text, List<String> stops) {
        OutputText out = new OutputText(tokenizer.streamingDecoder(true), stops);
        var pieces = new java.util.ArrayList<String>();
        for (int id : tokenizer.encode(text)) {
            pieces.add(out.add(id));
            if (out.stopped()) {
                break;
            }
        }
        pieces.add(out.finish());
        return pieces;
    }

    @Test
    void withoutStopsThePiecesConcatenateToTheText() {
        String text = "Fortune favours the patient — ünïcode too. 🌟";
        assertEquals(text, String.join("", stream(text, List.of())));
    }

    @Test
    void textEndsRightBeforeTheFirstStopString() {
        String text = "The river smiles at the stars tonight.";
        assertEquals("The river smiles", String.join("", stream(text, List.of(" at the", "tonight"))));
    }

    @Test
    void aPossibleStopPrefixIsHeldBackThenReleased() {
        String text = "A star, a start, a stamp.";
        List<String> pieces = stream(text, List.of("stars"));
        assertEquals(text, String.join("", pieces));
        for (String p : pieces.subList(0, pieces.size() - 1)) {
            assertFalse(p.endsWith("sta") || p.endsWith("star"), "a possible stop prefix was released: " + p);
        }
    }

    @Test
    void aStopStringSpanningTokensIsNeverReleased() {
        String text = "Good luck comes tomorrow morning.";
        String joined = String.join("", stream(text, List.of("comes tomorrow")));
        assertEquals("Good luck ", joined);
        assertTrue(stream(text, List.of("morning")).stream().noneMatch(p -> p.contains("morn")));
    }
}
