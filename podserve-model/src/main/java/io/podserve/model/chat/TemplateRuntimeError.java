package io.podserve.model.chat;

/** An error while rendering, as jinja2 would raise it (TypeError, UndefinedError, ...). */
class TemplateRuntimeError extends RuntimeException {
    private int line;

    TemplateRuntimeError(String message) {
        super(message);
    }

    /** Records the innermost template line the error passed through; outer lines don't override it. */
    TemplateRuntimeError atLine(int sourceLine) {
        if (line == 0) {
            line = sourceLine;
        }
        return this;
    }

    int line() {
        return line;
    }

    /** The template called raise_exception(message): the template itself rejected its input. */
    static final class Raised extends TemplateRuntimeError {
        Raised(String message) {
            super(message);
        }
    }
}
