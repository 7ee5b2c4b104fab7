package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

/** Python's str methods, counted in code points as Python counts them. */
final class PyStrings {
    private PyStrings() {}

    /** Every method a Python str has: getattr finds these, and only these, on a string. */
    static final Set<String> METHOD_NAMES = Set.of("capitalize", "casefold", "center", "count", "encode",
            "endswith", "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii",
            "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle",
            "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix",
            "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
            "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill");

    static List<Object> characters(String s) {
        List<Object> chars = new ArrayList<>(s.length());
        s.codePoints().forEach(cp -> chars.add(Character.toString(cp)));
        return chars;
    }

    static Object call(String s, String method, CallArguments a) {
        return switch (method) {
            case "startswith" -> affix(s, a, true);
            case "endswith" -> affix(s, a, false);
            case "strip" -> strip(s, a.optional(0, "chars", null), true, true);
            case "lstrip" -> strip(s, a.optional(0, "chars", null), true, false);
            case "rstrip" -> strip(s, a.optional(0, "chars", null), false, true);
            case "split" -> split(s, a.optional(0, "sep", null), a.optionalInt(1, "maxsplit", -1));
            case "rsplit" -> PyStringSplitting.rsplit(s, a.optional(0, "sep", null), a.optionalInt(1, "maxsplit", -1));
            case "splitlines" -> PyStringSplitting.splitlines(s, PyValues.truthy(a.optional(0, "keepends", false)));
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower", "casefold" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> capitalize(s);
            case "replace" -> replace(s, a.string(0, "old"), a.string(1, "new"), a.optionalInt(2, "count", -1));
            case "find" -> find(s, a.string(0, "sub"));
            case "rfind" -> rfind(s, a.string(0, "sub"));
            case "count" -> count(s, a.string(0, "sub"));
            case "join" -> join(s, a.required(0, "iterable"));
            case "removeprefix" -> s.startsWith(a.string(0, "prefix")) ? s.substring(a.string(0, "prefix").length()) : s;
            case "removesuffix" -> removeSuffix(s, a.string(0, "suffix"));
            case "isdigit", "isdecimal", "isnumeric" -> all(s, Character::isDigit);
            case "isalpha" -> all(s, Character::isLetter);
            case "isalnum" -> all(s, Character::isLetterOrDigit);
            case "isspace" -> all(s, PyChars::isSpace);
            case "islower" -> hasCased(s) && s.equals(s.toLowerCase(Locale.ROOT));
            case "isupper" -> hasCased(s) && s.equals(s.toUpperCase(Locale.ROOT));
            case "format" -> PyStringFormat.format(s, a);
            default -> throw new TemplateRuntimeError("str." + method + "() is not supported in chat templates");
        };
    }

    private static boolean affix(String s, CallArguments a, boolean prefix) {
        Object affixes = a.required(0, prefix ? "prefix" : "suffix");
        String region = s;
        if (a.size() > 1) {
            region = (String) PySequences.slice(s, a.optional(1, "start", null), a.optional(2, "end", null), null);
        }
        List<Object> candidates = affixes instanceof PyTuple t ? t.items() : List.of(affixes);
        for (Object candidate : candidates) {
            if (!(candidate instanceof String text)) {
                throw new TemplateRuntimeError((prefix ? "startswith" : "endswith")
                        + " first arg must be str or a tuple of str, not " + PyValues.typeName(candidate));
            }
            if (prefix ? region.startsWith(text) : region.endsWith(text)) {
                return true;
            }
        }
        return false;
    }

    /** str.strip family: chars None means Python whitespace, otherwise the set of chars given. */
    static String strip(String s, Object chars, boolean left, boolean right) {
        IntPredicate strippable = stripSet(chars);
        int start = 0;
        int end = s.length();
        while (left && start < end && strippable.test(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (right && end > start && strippable.test(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static IntPredicate stripSet(Object chars) {
        if (chars == null) {
            return PyChars::isSpace;
        }
        if (!(chars instanceof String set)) {
            throw new TemplateRuntimeError("strip arg must be None or str");
        }
        return cp -> set.indexOf(Character.toString(cp)) >= 0;
    }

    static List<Object> split(String s, Object sep, long maxSplit) {
        if (sep == null) {
            return PyStringSplitting.splitWhitespace(s, maxSplit);
        }
        String separator = requireSeparator(sep);
        List<Object> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(separator); at >= 0 && (maxSplit < 0 || parts.size() < maxSplit);
                at = s.indexOf(separator, from)) {
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    static String requireSeparator(Object sep) {
        if (!(sep instanceof String separator)) {
            throw new TemplateRuntimeError("must be str or None, not " + PyValues.typeName(sep));
        }
        if (separator.isEmpty()) {
            throw new TemplateRuntimeError("empty separator");
        }
        return separator;
    }

    /** str.title(): a letter after a cased letter is lowered, any other letter is title-cased. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            out.append(previousCased ? lower(cp) : titleCase(cp));
            previousCased = isCased(cp);
        }
        return out.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return titleCase(first) + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
    }

    private static String lower(int cp) {
        return Character.toString(cp).toLowerCase(Locale.ROOT);
    }

    private static String titleCase(int cp) {
        int title = Character.toTitleCase(cp);
        return title != cp ? Character.toString(title) : Character.toString(cp).toUpperCase(Locale.ROOT);
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(PyStrings::isCased);
    }

    private static boolean all(String s, IntPredicate test) {
        return !s.isEmpty() && s.codePoints().allMatch(test);
    }

    static String replace(String s, String old, String replacement, long count) {
        if (old.isEmpty()) {
            return PyStringSplitting.insertBetweenCharacters(s, replacement, count);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        long done = 0;
        for (int at = s.indexOf(old); at >= 0 && (count < 0 || done < count); at = s.indexOf(old, from)) {
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return out.append(s.substring(from)).toString();
    }

    private static long find(String s, String sub) {
        int at = s.indexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }

    private static long rfind(String s, String sub) {
        int at = s.lastIndexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String removeSuffix(String s, String suffix) {
        return !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    static String join(String separator, Object iterable) {
        List<String> parts = new ArrayList<>();
        for (Object item : PyValues.iterate(iterable)) {
            if (!(item instanceof String text)) {
                throw new TemplateRuntimeError("sequence item " + parts.size() + ": expected str instance, "
                        + PyValues.typeName(item) + " found");
            }
            parts.add(text);
        }
        return String.join(separator, parts);
    }
}
