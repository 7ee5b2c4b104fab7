package io.podserve.model.chat;

/** One lexical unit of a template: literal text, a tag delimiter, or a piece of an expression. */
record Token(Kind kind, String text, int line) {
    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind wanted, String image) {
        return kind == wanted && text.equals(image);
    }

    boolean isOperator(String image) {
        return is(Kind.OPERATOR, image);
    }

    boolean isName(String image) {
        return is(Kind.NAME, image);
    }

    /** How jinja2 names a token in its "expected X, got Y" messages. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of template";
            case VARIABLE_END, BLOCK_END -> "end of tag '" + text + "'";
            case DATA -> "template text";
            default -> "'" + text + "'";
        };
    }
}
