package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the vectors made with the Hugging Face {@code tokenizers} library: every
 * {@code expected*.json} in every reference tokenizer folder must match exactly: ids without and
 * (where given) with special tokens, decoded text, and streaming decode.
 */
class ExpectedVectorsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_REPORTED = 5;

    @TestFactory
    Stream<DynamicTest> everyExpectedFileMatches() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : Fixtures.tokenizerDirs()) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().matches("expected.*\\.json"))
                        .sorted()
                        .forEach(f -> tests.add(DynamicTest.dynamicTest(
                                dir.getFileName() + "/" + f.getFileName(), () -> replay(dir, f))));
            }
        }
        assertFalse(tests.isEmpty(), "no expected*.json found");
        return tests.stream();
    }

    @Test
    void fortuneMoeModelTokenizerLoadsFromModelsFolder() {
        Tokenizer tokenizer = Tokenizer.load(Fixtures.models().resolve("fortune-moe/tokenizer.json"));
        assertEquals(4096, tokenizer.vocabSize());
        assertEquals(1, tokenizer.encode("<|im_start|>").length);
        assertEquals(tokenizer.tokenToId("<|im_end|>").orElseThrow(), tokenizer.encode("<|im_end|>")[0]);
    }

    private static void replay(Path dir, Path file) throws IOException {
        Tokenizer tokenizer = Fixtures.tokenizer(dir);
        List<String> failures = new ArrayList<>();
        JsonNode entries = MAPPER.readTree(file.toFile());
        for (JsonNode entry : entries) {
            String problem = check(tokenizer, entry);
            if (problem != null) {
                failures.add(problem);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + entries.size() + " entries differ; first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(MAX_REPORTED, failures.size()))));
        }
    }

    /** What is wrong with one entry, or null. */
    private static String check(Tokenizer tokenizer, JsonNode entry) {
        String text = entry.get("text").asText();
        int[] ids = ints(entry.get("ids"));
        String label = "text " + quote(text) + ": ";
        int[] encoded = tokenizer.encode(text);
        if (!Arrays.equals(ids, encoded)) {
            return label + "ids " + Arrays.toString(encoded) + ", expected " + Arrays.toString(ids);
        }
        if (entry.has("ids_special")) {
            int[] special = tokenizer.encode(text, true);
            if (!Arrays.equals(ints(entry.get("ids_special")), special)) {
                return label + "ids with special tokens " + Arrays.toString(special) + ", expected "
                        + entry.get("ids_special");
            }
        }
        String expected = entry.get("decoded").asText();
        String decoded = tokenizer.decode(ids);
        if (!expected.equals(decoded)) {
            return label + "decoded " + quote(decoded) + ", expected " + quote(expected);
        }
        String streamed = streamOneByOne(tokenizer, ids);
        return expected.equals(streamed) ? null : label + "streamed " + quote(streamed) + ", expected " + quote(expected);
    }

    static String streamOneByOne(Tokenizer tokenizer, int[] ids) {
        StreamingDecoder stream = tokenizer.streamingDecoder();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(stream.next(id));
        }
        return out.append(stream.flush()).toString();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().limit(120).forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || Character.isWhitespace(cp) && cp != ' ') {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(s.length() > 120 ? "...\"" : "\"").toString();
    }
}
