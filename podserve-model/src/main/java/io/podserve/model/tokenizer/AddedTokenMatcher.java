package io.podserve.model.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text the way HF's added vocabulary does: leftmost-longest matches, scanned
 * left to right without overlap, with the tokens' single_word, lstrip and rstrip rules applied.
 */
final class AddedTokenMatcher {
    /** Receives the text cut into plain stretches (tokenId -1) and added-token matches. */
    @FunctionalInterface
    interface SegmentSink {
        void segment(int start, int end, int tokenId);
    }

    private record Candidate(String pattern, AddedToken token) {}

    /** Bit per BMP char: can an added token start with it? Skips the map for most chars. */
    private final long[] firstChars = new long[1024];
    /** Candidates by first char, longest pattern first. */
    private final Map<Character, Candidate[]> byFirstChar = new HashMap<>();

    /** @param patterns the text to look for, mapped to the token it stands for */
    AddedTokenMatcher(Map<String, AddedToken> patterns) {
        Map<Character, List<Candidate>> grouped = new LinkedHashMap<>();
        patterns.forEach((pattern, token) -> {
            if (!pattern.isEmpty()) {
                grouped.computeIfAbsent(pattern.charAt(0), c -> new ArrayList<>())
                        .add(new Candidate(pattern, token));
            }
        });
        grouped.forEach((first, list) -> {
            list.sort(Comparator.comparingInt((Candidate c) -> c.pattern().length()).reversed());
            byFirstChar.put(first, list.toArray(Candidate[]::new));
            firstChars[first >>> 6] |= 1L << first;
        });
    }

    boolean isEmpty() {
        return byFirstChar.isEmpty();
    }

    /** Cuts {@code text} into segments covering it in order; empty stretches are not sent. */
    void split(String text, SegmentSink out) {
        int covered = 0;
        int i = 0;
        while (i < text.length()) {
            Candidate found = longestAt(text, i);
            if (found == null) {
                i++;
                continue;
            }
            int matchEnd = i + found.pattern().length();
            if (!found.token().singleWord() || standsAlone(text, i, matchEnd)) {
                int start = found.token().lstrip() ? Math.max(whitespaceBefore(text, i), covered) : i;
                int stop = found.token().rstrip() ? whitespaceAfter(text, matchEnd) : matchEnd;
                if (covered < start) {
                    out.segment(covered, start, -1);
                }
                out.segment(start, stop, found.token().id());
                covered = stop;
            }
            // Like HF's automaton, the scan resumes after the match itself, even a rejected one.
            i = matchEnd;
        }
        if (covered < text.length()) {
            out.segment(covered, text.length(), -1);
        }
    }

    private Candidate longestAt(String text, int i) {
        char c = text.charAt(i);
        if ((firstChars[c >>> 6] & (1L << c)) == 0) {
            return null;
        }
        for (Candidate candidate : byFirstChar.get(c)) {
            if (text.startsWith(candidate.pattern(), i)) {
                return candidate;
            }
        }
        return null;
    }

    /** single_word: no word character right before or right after the match. */
    private static boolean standsAlone(String text, int start, int end) {
        boolean wordBefore = start > 0 && UnicodeProps.isWordChar(text.codePointBefore(start));
        boolean wordAfter = end < text.length() && UnicodeProps.isWordChar(text.codePointAt(end));
        return !wordBefore && !wordAfter;
    }

    /** Where the run of whitespace ending at {@code end} begins. */
    private static int whitespaceBefore(String text, int end) {
        int i = end;
        while (i > 0 && UnicodeProps.isWhiteSpace(text.codePointBefore(i))) {
            i -= Character.charCount(text.codePointBefore(i));
        }
        return i;
    }

    /** Where the run of whitespace starting at {@code start} ends. */
    private static int whitespaceAfter(String text, int start) {
        int i = start;
        while (i < text.length() && UnicodeProps.isWhiteSpace(text.codePointAt(i))) {
            i += Character.charCount(text.codePointAt(i));
        }
        return i;
    }
}
