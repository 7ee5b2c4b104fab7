package io.podserve.server;

import io.podserve.model.chat.ChatTemplate;
import io.podserve.model.config.GenerationConfig;
import io.podserve.model.tokenizer.Tokenizer;
import io.podserve.server.openai.ServedModel;

import java.nio.file.Path;
import java.util.List;

/** The repository's small model (fortune-moe) as the tests' source of a tokenizer and chat template. */
final class TestModels {
    static final String NAME = "fortune";

    private TestModels() {
    }

    static Path fortuneDir() {
        String models = System.getProperty("podserve.models");
        if (models == null) {
            throw new IllegalStateException("system property podserve.models is not set (surefire sets it)");
        }
        return Path.of(models, "fortune-moe");
    }

    /** fortune-moe's tokenizer and template, greedy by default (generation_config's sampling is ignored). */
    static ServedModel fortuneFrontEnd() {
        Path dir = fortuneDir();
        return new ServedModel(NAME, Tokenizer.load(dir.resolve("tokenizer.json")),
                ChatTemplate.fromTokenizerConfig(dir.resolve("tokenizer_config.json")),
                new GenerationConfig(List.of(2, 0), false, 1.0, 1.0, 0));
    }
}
