package io.podserve.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built-in default model lives: beside the launcher ({@code PODSERVE_HOME}) or the working directory. */
final class Defaults {
    private Defaults() {
    }

    static Path defaultModel() {
        String home = System.getenv("PODSERVE_HOME");
        Path base = home != null ? Path.of(home) : Path.of(".");
        Path model = base.resolve("models").resolve("fortune-moe");
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("the built-in model is not at " + model.toAbsolutePath()
                    + "; run podserve from its repository or pass --model DIR");
        }
        return model;
    }

    static boolean hasTokenizer(Path dir) {
        return Files.exists(dir.resolve("tokenizer.json")) || Files.exists(dir.resolve("tokenizer.json.gz"));
    }

    /** A tokenizer argument may name the file or the model directory holding it. */
    static Path tokenizerFile(Path fileOrDir) {
        if (!Files.isDirectory(fileOrDir)) {
            return fileOrDir;
        }
        for (String name : new String[] {"tokenizer.json", "tokenizer.json.gz"}) {
            if (Files.exists(fileOrDir.resolve(name))) {
                return fileOrDir.resolve(name);
            }
        }
        throw new IllegalArgumentException(fileOrDir + " holds no tokenizer.json or tokenizer.json.gz");
    }

    /** A tokenizer-config argument may name the file or the model directory holding it. */
    static Path tokenizerConfigFile(Path fileOrDir) {
        return Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer_config.json") : fileOrDir;
    }
}
