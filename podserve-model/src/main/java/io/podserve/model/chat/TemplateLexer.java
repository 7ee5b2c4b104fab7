package io.podserve.model.chat;

import io.podserve.model.chat.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits template source into tokens the way jinja2's lexer does with transformers' settings:
 * trim_blocks and lstrip_blocks on, keep_trailing_newline off, "-" and "+" whitespace control.
 */
final class TemplateLexer {
    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%([-+]?)\\s*raw\\s*(?:-%}\\s*|%})");
    private static final Pattern RAW_END =
            Pattern.compile("\\{%([-+]?)\\s*endraw\\s*(?:\\+%}|-%}\\s*|%}\\n?)");
    private static final Pattern FLOAT = Pattern.compile(
            "(?<!\\.)(\\d+_)*\\d+((\\.(\\d+_)*\\d+)?[eE][+\\-]?(\\d+_)*\\d+|\\.(\\d+_)*\\d+)");
    private static final Pattern INTEGER = Pattern.compile(
            "(?i)(0b(_?[01])+|0o(_?[0-7])+|0x(_?[\\da-f])+|[1-9](_?\\d)*|0(_?0)*)");
    private static final Pattern STRING =
            Pattern.compile("(?s)('([^'\\\\]*(?:\\\\.[^'\\\\]*)*)'|\"([^\"\\\\]*(?:\\\\.[^\"\\\\]*)*)\")");
    private static final List<String> OPERATORS = List.of("//", "**", "==", "!=", ">=", "<=",
            "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";");

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private boolean lineStarting = true;

    private TemplateLexer(String source) {
        this.src = normalizeNewlines(source);
    }

    static List<Token> tokenize(String source) {
        TemplateLexer lexer = new TemplateLexer(source);
        lexer.run();
        return lexer.tokens;
    }

    /** What jinja2 does before lexing: every line break becomes "\n" and one trailing one is dropped. */
    static String normalizeNewlines(String source) {
        StringBuilder out = new StringBuilder(source.length());
        for (int i = 0; i < source.length(); ) {
            int cp = source.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r' && i < source.length() && source.charAt(i) == '\n') {
                i++;
            }
            if (PyChars.isLineBreak(cp)) {
                out.append('\n');
            } else {
                out.appendCodePoint(cp);
            }
        }
        if (!out.isEmpty() && out.charAt(out.length() - 1) == '\n') {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private void run() {
        while (pos < src.length()) {
            int start = nextTagStart();
            if (start < 0) {
                emitData(src.substring(pos), src.length());
                break;
            }
            char kind = src.charAt(start + 1);
            char sign = start + 2 < src.length() ? src.charAt(start + 2) : 0;
            boolean signed = sign == '-' || sign == '+';
            emitData(controlWhitespace(src.substring(pos, start), signed ? sign : 0, kind != '{'), start);
            Matcher raw = RAW_BEGIN.matcher(src).region(start, src.length());
            if (kind == '%' && raw.lookingAt()) {
                lexRaw(raw.end());
            } else if (kind == '#') {
                lexComment(start + 2 + (signed ? 1 : 0));
            } else {
                lexTag(kind == '{' ? Kind.VARIABLE_BEGIN : Kind.BLOCK_BEGIN, start + 2 + (signed ? 1 : 0));
            }
        }
        tokens.add(new Token(Kind.EOF, "", line));
    }

    private int nextTagStart() {
        for (int i = src.indexOf('{', pos); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char next = src.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
        }
        return -1;
    }

    /** jinja2's OptionalLStrip: "-" strips all trailing whitespace, lstrip_blocks strips an indent. */
    private String controlWhitespace(String text, char sign, boolean isBlockOrComment) {
        if (sign == '-') {
            return PyChars.rstripSpace(text);
        }
        if (sign == '+' || !isBlockOrComment) {
            return text;
        }
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && isBlankIndent(text, lineStart)) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    private static boolean isBlankIndent(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Emits text as a DATA token and moves past the source it came from, counting lines. */
    private void emitData(String text, int consumedUpTo) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.DATA, text, line));
        }
        advanceTo(consumedUpTo);
    }

    private void advanceTo(int newPos) {
        for (int i = pos; i < newPos; i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        lineStarting = newPos > 0 && src.charAt(newPos - 1) == '\n';
        pos = newPos;
    }

    private void lexRaw(int bodyStart) {
        int startLine = line;
        advanceTo(bodyStart);
        Matcher end = RAW_END.matcher(src);
        if (!end.find(bodyStart)) {
            throw new TemplateSyntaxError("missing end of raw directive", startLine);
        }
        String sign = end.group(1);
        String body = controlWhitespace(src.substring(bodyStart, end.start()), sign.isEmpty() ? 0 : sign.charAt(0), true);
        emitData(body, end.start());
        advanceTo(end.end());
    }

    private void lexComment(int bodyStart) {
        int close = src.indexOf("#}", bodyStart);
        if (close < 0) {
            throw new TemplateSyntaxError("missing end of comment tag", line);
        }
        char before = close > bodyStart ? src.charAt(close - 1) : 0;
        advanceTo(afterTagEnd(close + 2, before));
    }

    /** Where the source continues after a closing delimiter ending at {@code end}. */
    private int afterTagEnd(int end, char sign) {
        if (sign == '-') {
            return PyChars.skipSpace(src, end);
        }
        boolean trimNewline = sign != '+' && end < src.length() && src.charAt(end) == '\n';
        return trimNewline ? end + 1 : end;
    }

    private void lexTag(Kind begin, int bodyStart) {
        boolean variable = begin == Kind.VARIABLE_BEGIN;
        tokens.add(new Token(begin, variable ? "{{" : "{%", line));
        advanceTo(bodyStart);
        String close = variable ? "}}" : "%}";
        Deque<Character> brackets = new ArrayDeque<>();
        while (true) {
            if (pos >= src.length()) {
                throw new TemplateSyntaxError("unexpected end of template, expected '" + close + "'", line);
            }
            if (brackets.isEmpty() && closesTag(close, variable)) {
                return;
            }
            lexExpressionToken(brackets);
        }
    }

    private boolean closesTag(String close, boolean variable) {
        char first = src.charAt(pos);
        boolean signed = (first == '-' || (first == '+' && !variable)) && src.startsWith(close, pos + 1);
        if (!signed && !src.startsWith(close, pos)) {
            return false;
        }
        int end = pos + close.length() + (signed ? 1 : 0);
        tokens.add(new Token(variable ? Kind.VARIABLE_END : Kind.BLOCK_END, close, line));
        char sign = signed ? first : 0;
        advanceTo(variable && sign == 0 ? end : afterTagEnd(end, sign));
        return true;
    }

    private void lexExpressionToken(Deque<Character> brackets) {
        int cp = src.codePointAt(pos);
        if (PyChars.isSpace(cp)) {
            advanceTo(PyChars.skipSpace(src, pos));
        } else if (lexPattern(FLOAT, Kind.FLOAT) || lexPattern(INTEGER, Kind.INTEGER)) {
            return;
        } else if (Character.isUnicodeIdentifierStart(cp) || cp == '_') {
            int end = pos + Character.charCount(cp);
            while (end < src.length() && (Character.isUnicodeIdentifierPart(src.codePointAt(end))
                    && !Character.isIdentifierIgnorable(src.codePointAt(end)))) {
                end += Character.charCount(src.codePointAt(end));
            }
            addToken(Kind.NAME, src.substring(pos, end), end);
        } else if (cp == '\'' || cp == '"') {
            Matcher m = STRING.matcher(src).region(pos, src.length());
            if (!m.lookingAt()) {
                throw new TemplateSyntaxError("unexpected char " + Character.toString(cp) + " (unclosed string)", line);
            }
            String body = src.substring(pos + 1, m.end() - 1);
            addToken(Kind.STRING, StringLiterals.unescape(body, line), m.end());
        } else {
            lexOperator(brackets);
        }
    }

    private boolean lexPattern(Pattern pattern, Kind kind) {
        Matcher m = pattern.matcher(src).region(pos, src.length()).useTransparentBounds(true);
        if (!m.lookingAt()) {
            return false;
        }
        addToken(kind, m.group(), m.end());
        return true;
    }

    private void lexOperator(Deque<Character> brackets) {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                balance(op.charAt(0), brackets);
                addToken(Kind.OPERATOR, op, pos + op.length());
                return;
            }
        }
        throw new TemplateSyntaxError("unexpected char '" + Character.toString(src.codePointAt(pos)) + "'", line);
    }

    private void balance(char c, Deque<Character> brackets) {
        switch (c) {
            case '(' -> brackets.push(')');
            case '[' -> brackets.push(']');
            case '{' -> brackets.push('}');
            case ')', ']', '}' -> {
                if (brackets.isEmpty()) {
                    throw new TemplateSyntaxError("unexpected '" + c + "'", line);
                }
                char expected = brackets.pop();
                if (expected != c) {
                    throw new TemplateSyntaxError("unexpected '" + c + "', expected '" + expected + "'", line);
                }
            }
            default -> { }
        }
    }

    private void addToken(Kind kind, String text, int end) {
        tokens.add(new Token(kind, text, line));
        advanceTo(end);
    }
}
