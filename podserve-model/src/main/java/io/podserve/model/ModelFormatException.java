package io.podserve.model;

import java.nio.file.Path;

/**
 * A model file (config, weights, tokenizer, template) that cannot be used as it is. The message
 * always names the file and, where there is one, the field or tensor at fault, and says what to
 * do about it: it is shown to the user as is.
 */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
