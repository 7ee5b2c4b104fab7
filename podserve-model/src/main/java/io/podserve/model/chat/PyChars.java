package io.podserve.model.chat;

/** Python's notion of whitespace, shared by the lexer, str.strip/split and the trim filter. */
final class PyChars {
    private PyChars() {}

    /** str.isspace() for one code point; also what Python's regex {@code \s} matches. */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Line boundaries of str.splitlines(), except "\r\n" which the caller checks first. */
    static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || (cp >= 0x1C && cp <= 0x1E)
                || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }

    static String rstripSpace(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** Index just past the run of whitespace starting at {@code from}. */
    static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        return i;
    }
}
