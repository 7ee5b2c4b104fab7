package io.podserve.model.tokenizer;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma regexes of {@code tokenizer.json} (HF runs them with onig) as Java
 * patterns with the same meaning. Java differs where it matters for tokenizers in these ways:
 * <ul>
 *   <li>{@code \s}, {@code \w}, {@code \d} and POSIX classes are ASCII-only in Java unless
 *       {@link Pattern#UNICODE_CHARACTER_CLASS} is on; onig's are Unicode, and GPT-style patterns
 *       rely on {@code \s} matching U+00A0, U+3000 and friends. That flag also makes
 *       {@code (?i)} fold case the Unicode way, as onig does.</li>
 *   <li>{@code ^} and {@code $} match at line breaks in onig (Ruby syntax), so MULTILINE.</li>
 *   <li>{@code \h} is a hex digit in onig but horizontal space in Java.</li>
 *   <li>{@code \p{^X}} negates in onig; script names such as {@code \p{Han}} need Java's
 *       {@code Is} prefix; POSIX brackets {@code [:alpha:]} do not exist in Java.</li>
 * </ul>
 */
final class OnigRegex {
    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE;
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "Alnum"), Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"),
            Map.entry("blank", "Blank"), Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"),
            Map.entry("graph", "Graph"), Map.entry("lower", "Lower"), Map.entry("print", "Print"),
            Map.entry("punct", "Punct"), Map.entry("space", "Space"), Map.entry("upper", "Upper"),
            Map.entry("xdigit", "XDigit"));

    private OnigRegex() {}

    static Pattern compile(String onig) throws PatternSyntaxException {
        return Pattern.compile(translate(onig), FLAGS);
    }

    /** The Java spelling of an onig pattern. */
    static String translate(String onig) {
        StringBuilder out = new StringBuilder(onig.length() + 16);
        int classDepth = 0;
        int i = 0;
        while (i < onig.length()) {
            char c = onig.charAt(i);
            if (c == '\\' && i + 1 < onig.length()) {
                i = translateEscape(onig, i, classDepth > 0, out);
            } else if (c == '[' && classDepth > 0 && onig.startsWith("[:", i) && onig.indexOf(":]", i) > 0) {
                i = translatePosix(onig, i, out);
            } else {
                if (c == '[') {
                    classDepth++;
                } else if (c == ']' && classDepth > 0) {
                    classDepth--;
                }
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Translates the escape at {@code i}; returns the index after it. */
    private static int translateEscape(String onig, int i, boolean inClass, StringBuilder out) {
        char e = onig.charAt(i + 1);
        if (e == 'h') {
            out.append(inClass ? "0-9a-fA-F" : "[0-9a-fA-F]");
            return i + 2;
        }
        if (e == 'H') {
            out.append("[^0-9a-fA-F]");
            return i + 2;
        }
        int close = onig.indexOf('}', i);
        if ((e == 'p' || e == 'P') && onig.startsWith("{", i + 2) && close > 0) {
            String name = onig.substring(i + 3, close);
            boolean negated = name.startsWith("^");
            out.append(property(negated == (e == 'p') ? 'P' : 'p', negated ? name.substring(1) : name));
            return close + 1;
        }
        out.append('\\').append(e);
        return i + 2;
    }

    private static int translatePosix(String onig, int i, StringBuilder out) {
        int end = onig.indexOf(":]", i);
        String name = onig.substring(i + 2, end);
        boolean negated = name.startsWith("^");
        String bareName = negated ? name.substring(1) : name;
        if (bareName.equals("word")) {
            out.append(negated ? "\\W" : "\\w");
            return end + 2;
        }
        String javaName = POSIX.get(bareName);
        if (javaName == null) {
            out.append('[');
            return i + 1; // not a POSIX bracket after all; let Java judge it
        }
        out.append(negated ? "\\P{" : "\\p{").append(javaName).append('}');
        return end + 2;
    }

    /** {@code \p{name}} as Java accepts it, trying the bare name and then the Is-prefixed one. */
    private static String property(char p, String name) {
        String bare = "\\" + p + "{" + name + "}";
        String prefixed = "\\" + p + "{Is" + name + "}";
        for (String candidate : new String[] {bare, prefixed}) {
            try {
                Pattern.compile(candidate, FLAGS);
                return candidate;
            } catch (PatternSyntaxException notThisSpelling) {
                // try the next spelling
            }
        }
        return bare; // neither works: compiling the whole pattern reports it
    }
}
