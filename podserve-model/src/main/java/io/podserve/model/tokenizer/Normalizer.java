package io.podserve.model.tokenizer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rewrites a segment of input text before it is pre-tokenized, as {@code "normalizer"} says. */
interface Normalizer {
    String normalize(String text);

    /** NFC, NFD, NFKC or NFKD. */
    record Unicode(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String text) {
            return java.text.Normalizer.isNormalized(text, form)
                    ? text
                    : java.text.Normalizer.normalize(text, form);
        }
    }

    /** Puts {@code prefix} in front of any non-empty text. */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Replaces every occurrence of a literal string, left to right. */
    record ReplaceLiteral(String target, String content) implements Normalizer {
        @Override
        public String normalize(String text) {
            return target.isEmpty() ? text : text.replace(target, content); // empty matches nothing
        }
    }

    /** Replaces every non-overlapping match of a regex. */
    record ReplaceRegex(Pattern pattern, String content) implements Normalizer {
        @Override
        public String normalize(String text) {
            return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    /** Applies each normalizer in turn. */
    record Sequence(List<Normalizer> steps) implements Normalizer {
        @Override
        public String normalize(String text) {
            for (Normalizer step : steps) {
                text = step.normalize(text);
            }
            return text;
        }
    }
}
