package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podserve.model.ModelFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user is told when a tokenizer cannot be loaded or an id does not exist. */
class LoadErrorsTest {
    private static final String MINIMAL = """
            {"added_tokens": [], "normalizer": null, "pre_tokenizer": %s, "decoder": null,
             "model": {"type": "%s", "dropout": %s, "unk_token": null, "vocab": {"a": 0, "b": 1, "ab": 2},
                       "merges": [["a", "b"]]}}""";

    @TempDir
    Path dir;

    private static String minimal(String preTokenizer, String modelType, String dropout) {
        return MINIMAL.formatted(preTokenizer, modelType, dropout);
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
        }
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope/tokenizer.json");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizer.load(missing));
        assertMentions(e, missing.toString(), "not found", "tokenizer.json");
    }

    @Test
    void badJsonNamesTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizer.load(file));
        assertMentions(e, file.toString(), "not valid JSON");
    }

    @Test
    void unsupportedModelTypeListsWhatIsSupported() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), minimal("null", "WordPiece", "null"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizer.load(file));
        assertMentions(e, file.toString(), "model.type", "\"WordPiece\"", "supported model types: BPE");
    }

    @Test
    void unsupportedComponentIsNamedByItsPath() {
        String json = minimal("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Whitespace\"}]}", "BPE", "null");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizer.fromJson(json));
        assertMentions(e, "tokenizer JSON", "pre_tokenizer.pretokenizers[0]", "\"Whitespace\"",
                ComponentFactory.PRE_TOKENIZERS);
    }

    @Test
    void dropoutIsRejected() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Tokenizer.fromJson(minimal("null", "BPE", "0.1")));
        assertMentions(e, "model.dropout", "0.1");
    }

    @Test
    void mergeOfUnknownTokensIsNamed() {
        String json = minimal("null", "BPE", "null").replace("[[\"a\", \"b\"]]", "[[\"a\", \"c\"]]");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizer.fromJson(json));
        assertMentions(e, "merges[0]", "\"c\"", "not in the vocabulary");
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesWhateverTheName() throws IOException {
        Path file = dir.resolve("tokenizer.bin");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(minimal("null", "BPE", "null").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(2, Tokenizer.load(file).encode("ab")[0]);
    }

    @Test
    void idsOutOfRangeNameTheIdAndTheVocabularySize() {
        Tokenizer tokenizer = Tokenizer.fromJson(minimal("null", "BPE", "null"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {0, 7}));
        assertMentions(e, "7", "vocabulary size is 3");
        assertThrows(IllegalArgumentException.class, () -> tokenizer.streamingDecoder().next(-1));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.idToToken(3));
    }
}
