package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties over random text and random ids: byte-level tokenizers give back exactly the text
 * they encoded (NFC-normalized where the tokenizer normalizes), and streaming decode one id at a
 * time always adds up to full decode without ever emitting half a character.
 */
class RoundTripPropertyTest {
    private static final int STRINGS = 700;
    private static final int ID_SEQUENCES = 300;

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "deepseek_v3", "fortune_moe"})
    void byteLevelDecodeInvertsEncode(String name) {
        Tokenizer tokenizer = Fixtures.tokenizer(name);
        boolean nfc = name.equals("qwen3"); // its normalizer is NFC
        RandomText texts = new RandomText(name.hashCode(), addedTokenStrings(tokenizer));
        for (int i = 0; i < STRINGS; i++) {
            String text = texts.next();
            String expected = nfc ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
            assertRoundTrip(tokenizer, text, expected);
        }
    }

    /**
     * The legacy SentencePiece normalizer prepends U+2581 to every segment between added tokens,
     * which decodes as a space, so only text without added tokens comes back unchanged.
     */
    @ParameterizedTest
    @ValueSource(strings = {"spm_legacy"})
    void sentencePieceDecodeInvertsEncodeWithoutAddedTokens(String name) {
        Tokenizer tokenizer = Fixtures.tokenizer(name);
        RandomText texts = new RandomText(name.hashCode(), List.of());
        for (int i = 0; i < STRINGS; i++) {
            String text = texts.next();
            assertRoundTrip(tokenizer, text, text);
        }
    }

    /** Covers invalid UTF-8 too: random ids include lone byte tokens and continuation bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "deepseek_v3", "fortune_moe", "spm_legacy", "spm_metaspace"})
    void streamingMatchesFullDecodeForRandomIds(String name) {
        Tokenizer tokenizer = Fixtures.tokenizer(name);
        Random random = new Random(name.hashCode());
        for (int i = 0; i < ID_SEQUENCES; i++) {
            int[] ids = new int[random.nextInt(30)];
            for (int j = 0; j < ids.length; j++) {
                // Low ids are bytes and single characters in every fixture: the risky ones.
                ids[j] = random.nextInt(random.nextBoolean() ? 300 : tokenizer.vocabSize());
            }
            for (boolean skip : new boolean[] {false, true}) {
                StreamingDecoder stream = tokenizer.streamingDecoder(skip);
                StringBuilder streamed = new StringBuilder();
                for (int id : ids) {
                    String chunk = stream.next(id);
                    assertFalse(hasLoneSurrogate(chunk), "lone surrogate in chunk " + ExpectedVectorsTest.quote(chunk));
                    streamed.append(chunk);
                }
                streamed.append(stream.flush());
                assertEquals(tokenizer.decode(ids, skip), streamed.toString(), "ids " + java.util.Arrays.toString(ids));
            }
        }
    }

    private static void assertRoundTrip(Tokenizer tokenizer, String text, String expected) {
        int[] ids = tokenizer.encode(text);
        String label = "text " + ExpectedVectorsTest.quote(text);
        assertEquals(expected, tokenizer.decode(ids), label);
        StreamingDecoder stream = tokenizer.streamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String chunk = stream.next(id);
            assertFalse(chunk.indexOf('\uFFFD') >= 0 || hasLoneSurrogate(chunk),
                    label + ": broken character in chunk " + ExpectedVectorsTest.quote(chunk));
            streamed.append(chunk);
        }
        assertEquals(expected, streamed.append(stream.flush()).toString(), label + " (streamed)");
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> addedTokenStrings(Tokenizer tokenizer) {
        List<String> found = new ArrayList<>();
        for (String candidate : List.of("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>",
                "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<s>", "</s>")) {
            if (tokenizer.tokenToId(candidate).isPresent() && tokenizer.encode(candidate).length == 1) {
                found.add(candidate);
            }
        }
        return found;
    }
}
