package io.podserve.units.check;

import java.nio.file.Path;

import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.units.Fixtures;
import io.podserve.units.model.ModelOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every supported hf-tiny architecture, and the project's DeepSeek-V3-architecture demo model,
 * reproduce transformers' logits and greedy path.
 */
class ModelCheckTest {
    private static CpuBackend backend;

    @BeforeAll
    static void start() {
        backend = CpuBackend.vector(2);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "qwen3_moe", "mixtral", "gpt_oss", "deepseek_v3"})
    void matchesTransformers(String architecture) {
        check(architecture, Fixtures.hfTiny(architecture));
    }

    @Test
    void fortuneMoeMatchesTransformers() {
        check("fortune-moe", Fixtures.model("fortune-moe"));
    }

    private static void check(String name, Path dir) {
        // Block size 4 so that prompts and decodes cross page boundaries.
        ModelOptions options = ModelOptions.DEFAULTS.withBlockSize(4);
        CheckReport report = ModelCheck.run(dir, dir.resolve("expected.safetensors"), backend, options);
        System.out.println(name + ":\n" + report.summary());
        assertTrue(report.passed(), report.summary());
    }
}
