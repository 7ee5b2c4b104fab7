package io.podserve.model.tokenizer;

import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the non-overlapping matches of a split pattern, left to right. */
interface MatchFinder {
    /** Appends each match as a (start, end) pair of char offsets into {@code text}. */
    void find(String text, IntList out);

    /** A regex from {@code tokenizer.json}, in onig syntax. */
    record Regex(Pattern pattern) implements MatchFinder {
        @Override
        public void find(String text, IntList out) {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                out.add(matcher.start());
                out.add(matcher.end());
            }
        }
    }

    /** A literal string; empty never matches, as in HF. */
    record Literal(String target) implements MatchFinder {
        @Override
        public void find(String text, IntList out) {
            if (target.isEmpty()) {
                return;
            }
            for (int at = text.indexOf(target); at >= 0; at = text.indexOf(target, at + target.length())) {
                out.add(at);
                out.add(at + target.length());
            }
        }
    }

    /** Every single code point the predicate accepts is a match of its own. */
    record CodePoints(IntPredicate accepts) implements MatchFinder {
        @Override
        public void find(String text, IntList out) {
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (accepts.test(cp)) {
                    out.add(i);
                    out.add(next);
                }
                i = next;
            }
        }
    }
}
