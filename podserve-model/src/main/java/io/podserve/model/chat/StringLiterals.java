package io.podserve.model.chat;

/** Decodes a template string literal's body the way jinja2 does, with Python's escape sequences. */
final class StringLiterals {
    private StringLiterals() {}

    static String unescape(String body, int line) {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                out.append(c);
                i++;
            } else {
                i = appendEscape(body, i + 1, out, line);
            }
        }
        return out.toString();
    }

    /** Appends the escape whose letter is at {@code at}; returns the index after it. */
    private static int appendEscape(String body, int at, StringBuilder out, int line) {
        char e = body.charAt(at);
        switch (e) {
            case '\n' -> { }
            case '\\', '\'', '"' -> out.append(e);
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000B');
            case 'x' -> { return appendHex(body, at + 1, 2, out, line); }
            case 'u' -> { return appendHex(body, at + 1, 4, out, line); }
            case 'U' -> { return appendHex(body, at + 1, 8, out, line); }
            case 'N' -> throw new TemplateSyntaxError("\\N{...} escapes in string literals are not supported", line);
            default -> {
                if (e >= '0' && e <= '7') {
                    return appendOctal(body, at, out);
                }
                // NOTE: Python keeps an unknown escape such as "\d" as the two characters.
                out.append('\\').append(e);
            }
        }
        return at + 1;
    }

    private static int appendHex(String body, int from, int digits, StringBuilder out, int line) {
        if (from + digits > body.length()) {
            throw new TemplateSyntaxError("truncated \\x, \\u or \\U escape in a string literal", line);
        }
        try {
            out.appendCodePoint(Integer.parseUnsignedInt(body.substring(from, from + digits), 16));
        } catch (IllegalArgumentException e) {
            throw new TemplateSyntaxError("bad \\x, \\u or \\U escape in a string literal", line);
        }
        return from + digits;
    }

    private static int appendOctal(String body, int from, StringBuilder out) {
        int end = from;
        while (end < body.length() && end < from + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
            end++;
        }
        out.appendCodePoint(Integer.parseInt(body.substring(from, end), 8));
        return end;
    }
}
