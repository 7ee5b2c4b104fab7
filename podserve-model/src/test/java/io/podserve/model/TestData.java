package io.podserve.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's test data: {@code testdata/} (Hugging Face fixtures) and {@code models/} (the
 * built-in model), located through the system properties the build sets.
 */
public final class TestData {
    /** The architectures of {@code testdata/hf-tiny}, one checkpoint each. */
    public static final List<String> ARCHITECTURES = List.of("qwen3_moe", "deepseek_v3", "mixtral", "qwen3", "gpt_oss");

    private TestData() {
    }

    public static Path hfTiny(String architecture) {
        return Path.of(System.getProperty("podserve.testdata", "../testdata"), "hf-tiny", architecture);
    }

    public static Path model(String name) {
        return Path.of(System.getProperty("podserve.models", "../models"), name);
    }

    /** Copies a fixture directory into {@code target} (files only, one level), so a test may alter it. */
    public static Path copyOf(Path source, Path target) {
        try (Stream<Path> files = Files.list(source)) {
            Files.createDirectories(target);
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
