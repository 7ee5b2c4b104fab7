package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The less common splitting methods of Python's str: rsplit, whitespace split, splitlines. */
final class PyStringSplitting {
    private PyStringSplitting() {}

    /** str.split() with no separator: runs of whitespace, ignoring leading and trailing ones. */
    static List<Object> splitWhitespace(String s, long maxSplit) {
        List<Object> parts = new ArrayList<>();
        int i = PyChars.skipSpace(s, 0);
        while (i < s.length()) {
            if (maxSplit >= 0 && parts.size() >= maxSplit) {
                parts.add(PyStrings.strip(s.substring(i), null, false, true));
                return parts;
            }
            int end = i;
            while (end < s.length() && !PyChars.isSpace(s.codePointAt(end))) {
                end += Character.charCount(s.codePointAt(end));
            }
            parts.add(s.substring(i, end));
            i = PyChars.skipSpace(s, end);
        }
        return parts;
    }

    static List<Object> rsplit(String s, Object sep, long maxSplit) {
        if (sep == null) {
            return rsplitWhitespace(s, maxSplit);
        }
        String separator = PyStrings.requireSeparator(sep);
        List<Object> parts = new ArrayList<>();
        int end = s.length();
        for (int at = s.lastIndexOf(separator, end - separator.length());
                at >= 0 && (maxSplit < 0 || parts.size() < maxSplit);
                at = s.lastIndexOf(separator, end - separator.length())) {
            parts.add(s.substring(at + separator.length(), end));
            end = at;
        }
        parts.add(s.substring(0, end));
        Collections.reverse(parts);
        return parts;
    }

    private static List<Object> rsplitWhitespace(String s, long maxSplit) {
        if (maxSplit < 0) {
            return splitWhitespace(s, -1);
        }
        List<Object> parts = new ArrayList<>();
        String rest = PyStrings.strip(s, null, false, true);
        while (!rest.isEmpty()) {
            if (parts.size() >= maxSplit) {
                parts.add(rest);
                break;
            }
            int start = rest.length();
            while (start > 0 && !PyChars.isSpace(rest.codePointBefore(start))) {
                start -= Character.charCount(rest.codePointBefore(start));
            }
            parts.add(rest.substring(start));
            rest = PyStrings.strip(rest.substring(0, start), null, false, true);
        }
        Collections.reverse(parts);
        return parts;
    }

    static List<Object> splitlines(String s, boolean keepEnds) {
        List<Object> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp == '\r' && next < s.length() && s.charAt(next) == '\n') {
                next++;
            }
            if (PyChars.isLineBreak(cp)) {
                lines.add(s.substring(start, keepEnds ? next : i));
                start = next;
            }
            i = next;
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** str.replace("", new): new goes before every character and at the end, up to count times. */
    static String insertBetweenCharacters(String s, String insert, long count) {
        StringBuilder out = new StringBuilder();
        long done = 0;
        for (Object ch : PyStrings.characters(s)) {
            if (count < 0 || done < count) {
                out.append(insert);
                done++;
            }
            out.append((String) ch);
        }
        if (count < 0 || done < count) {
            out.append(insert);
        }
        return out.toString();
    }
}
