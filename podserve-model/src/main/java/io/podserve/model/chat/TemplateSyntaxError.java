package io.podserve.model.chat;

/** A template that jinja2 would refuse to compile; carries the 1-based source line. */
final class TemplateSyntaxError extends RuntimeException {
    private final int line;

    TemplateSyntaxError(String message, int line) {
        super(message);
        this.line = line;
    }

    int line() {
        return line;
    }
}
