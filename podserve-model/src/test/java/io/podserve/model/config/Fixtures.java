package io.podserve.model.config;

import java.nio.file.Path;
import java.util.List;

/** Where the copied Hugging Face fixtures live (the build sets {@code podserve.testdata}). */
final class Fixtures {
    static final List<String> ARCHITECTURES = List.of("qwen3_moe", "deepseek_v3", "mixtral", "qwen3", "gpt_oss");

    private Fixtures() {
    }

    static Path hfTiny(String name) {
        return Path.of(System.getProperty("podserve.testdata", "testdata"), "hf-tiny", name);
    }
}
