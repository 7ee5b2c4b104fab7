package io.podserve.model.chat;

import io.podserve.model.chat.Token.Kind;
import java.util.List;

/** A cursor over lexed tokens with jinja2's expect/skip helpers. */
final class TokenStream {
    private final List<Token> tokens;
    private int index;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token current() {
        return tokens.get(index);
    }

    Token look() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    Token next() {
        Token token = current();
        if (token.kind() != Kind.EOF) {
            index++;
        }
        return token;
    }

    boolean skipOperator(String image) {
        if (current().isOperator(image)) {
            next();
            return true;
        }
        return false;
    }

    boolean skipName(String image) {
        if (current().isName(image)) {
            next();
            return true;
        }
        return false;
    }

    Token expect(Kind kind) {
        if (current().kind() != kind) {
            throw fail("expected " + describe(kind) + ", got " + current().describe());
        }
        return next();
    }

    void expectOperator(String image) {
        if (!skipOperator(image)) {
            throw fail("expected '" + image + "', got " + current().describe());
        }
    }

    TemplateSyntaxError fail(String message) {
        return new TemplateSyntaxError(message, current().line());
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case NAME -> "a name";
            case BLOCK_END -> "end of statement block";
            case VARIABLE_END -> "end of print statement";
            default -> kind.name().toLowerCase();
        };
    }
}
