package io.podserve.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The reference tokenizers under testdata/tokenizers, each loaded once per test run. */
final class Fixtures {
    private static final Map<Path, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private Fixtures() {}

    static Path testdata() {
        String dir = System.getProperty("podserve.testdata");
        assertNotNull(dir, "system property podserve.testdata is not set (surefire sets it)");
        return Path.of(dir);
    }

    static Path models() {
        String dir = System.getProperty("podserve.models");
        assertNotNull(dir, "system property podserve.models is not set (surefire sets it)");
        return Path.of(dir);
    }

    /** Every folder of testdata/tokenizers that holds a tokenizer.json or tokenizer.json.gz. */
    static List<Path> tokenizerDirs() {
        Path root = testdata().resolve("tokenizers");
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> found = dirs.filter(d -> tokenizerFile(d) != null).sorted().toList();
            assertTrue(found.size() >= 2, "expected reference tokenizers under " + root);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tokenizer tokenizer(String name) {
        return tokenizer(testdata().resolve("tokenizers").resolve(name));
    }

    static Tokenizer tokenizer(Path dir) {
        return LOADED.computeIfAbsent(dir, d -> Tokenizer.load(tokenizerFile(d)));
    }

    static Path tokenizerFile(Path dir) {
        for (String name : List.of("tokenizer.json", "tokenizer.json.gz")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }
}
