package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The jinja2 filters chat templates use, with jinja2 3.1 semantics, plus transformers' tojson. */
final class Filters {
    @FunctionalInterface
    interface Filter {
        Object apply(Object value, CallArguments args);
    }

    /** jinja2 built-ins this renderer leaves out: named so the error says "unsupported", not "unknown". */
    private static final Set<String> UNSUPPORTED = Set.of("batch", "center", "filesizeformat",
            "forceescape", "format", "groupby", "pprint", "random", "slice", "striptags", "truncate",
            "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr");
    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Map<String, Filter> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("length", (v, a) -> PyValues.length(v));
        FILTERS.put("count", (v, a) -> PyValues.length(v));
        FILTERS.put("string", (v, a) -> PyRepr.str(v));
        FILTERS.put("safe", (v, a) -> v);
        FILTERS.put("trim", (v, a) -> PyStrings.strip(PyRepr.str(v), a.optional(0, "chars", null), true, true));
        FILTERS.put("upper", (v, a) -> PyRepr.str(v).toUpperCase(Locale.ROOT));
        FILTERS.put("lower", (v, a) -> PyRepr.str(v).toLowerCase(Locale.ROOT));
        FILTERS.put("capitalize", (v, a) -> PyStrings.capitalize(PyRepr.str(v)));
        FILTERS.put("title", (v, a) -> title(PyRepr.str(v)));
        FILTERS.put("replace", Filters::replace);
        FILTERS.put("indent", Filters::indent);
        FILTERS.put("escape", (v, a) -> escape(v));
        FILTERS.put("e", (v, a) -> escape(v));
        FILTERS.put("default", Filters::defaultValue);
        FILTERS.put("d", Filters::defaultValue);
        FILTERS.put("tojson", Filters::toJson);
        FILTERS.put("items", Filters::items);
        FILTERS.put("list", (v, a) -> PyValues.iterate(v));
        FILTERS.put("join", Filters::join);
        FILTERS.put("first", (v, a) -> first(PyValues.iterate(v)));
        FILTERS.put("last", (v, a) -> first(SequenceFilters.reversed(v)));
        FILTERS.put("reverse", (v, a) -> v instanceof String s ? new StringBuilder(s).reverse().toString() : SequenceFilters.reversed(v));
        FILTERS.put("int", SequenceFilters::toInt);
        FILTERS.put("float", SequenceFilters::toFloat);
        FILTERS.put("abs", (v, a) -> PyArithmetic.abs(v));
        FILTERS.put("round", SequenceFilters::round);
        FILTERS.put("attr", (v, a) -> Attributes.getAttribute(v, a.string(0, "name")));
        FILTERS.put("map", SequenceFilters::map);
        FILTERS.put("select", (v, a) -> SequenceFilters.select(v, a, true, false));
        FILTERS.put("reject", (v, a) -> SequenceFilters.select(v, a, false, false));
        FILTERS.put("selectattr", (v, a) -> SequenceFilters.select(v, a, true, true));
        FILTERS.put("rejectattr", (v, a) -> SequenceFilters.select(v, a, false, true));
        FILTERS.put("sort", SequenceFilters::sort);
        FILTERS.put("unique", SequenceFilters::unique);
        FILTERS.put("dictsort", SequenceFilters::dictsort);
        FILTERS.put("sum", SequenceFilters::sum);
        FILTERS.put("min", (v, a) -> SequenceFilters.extreme(v, a, true));
        FILTERS.put("max", (v, a) -> SequenceFilters.extreme(v, a, false));
    }

    private Filters() {}

    /** jinja2 refuses unknown filters when it compiles a template, so this runs at parse time. */
    static void requireKnown(String name, int line) {
        if (UNSUPPORTED.contains(name)) {
            throw new TemplateSyntaxError("the '" + name + "' filter is not supported in chat templates", line);
        }
        if (!FILTERS.containsKey(name)) {
            throw new TemplateSyntaxError("no filter named '" + name + "'", line);
        }
    }

    static Object apply(String name, Object value, CallArguments args) {
        return FILTERS.get(name).apply(value, args);
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    /** jinja2's title filter: capitalizes after "-", whitespace and opening brackets, unlike str.title. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = WORD_BEGINNING.matcher(s);
        int from = 0;
        while (m.find()) {
            appendTitledWord(s.substring(from, m.start()), out);
            appendTitledWord(m.group(), out);
            from = m.end();
        }
        appendTitledWord(s.substring(from), out);
        return out.toString();
    }

    private static void appendTitledWord(String word, StringBuilder out) {
        if (!word.isEmpty()) {
            int first = word.codePointAt(0);
            out.append(Character.toString(first).toUpperCase(Locale.ROOT))
                    .append(word.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
        }
    }

    private static Object replace(Object value, CallArguments a) {
        Object count = a.optional(2, "count", null);
        return PyStrings.replace(PyRepr.str(value), PyRepr.str(a.required(0, "old")), PyRepr.str(a.required(1, "new")),
                count == null ? -1 : PyValues.toLong(count));
    }

    private static Object indent(Object value, CallArguments a) {
        Object width = a.optional(0, "width", 4L);
        String unit = width instanceof String s ? s : " ".repeat((int) PyValues.toLong(width));
        boolean first = PyValues.truthy(a.optional(1, "first", false));
        boolean blank = PyValues.truthy(a.optional(2, "blank", false));
        List<Object> lines = PyStringSplitting.splitlines(PyRepr.str(value) + "\n", false);
        StringBuilder out = new StringBuilder((String) lines.getFirst());
        for (Object line : lines.subList(1, lines.size())) {
            String text = (String) line;
            out.append('\n').append(blank || !text.isEmpty() ? unit + text : text);
        }
        return first ? unit + out : out.toString();
    }

    private static Object escape(Object value) {
        return PyRepr.str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&#34;").replace("'", "&#39;");
    }

    private static Object defaultValue(Object value, CallArguments a) {
        boolean useOnFalse = PyValues.truthy(a.optional(1, "boolean", false));
        boolean missing = value instanceof Undefined || (useOnFalse && !PyValues.truthy(value));
        return missing ? a.optional(0, "default_value", "") : value;
    }

    /** transformers' tojson: json.dumps(x, ensure_ascii=False, indent, separators, sort_keys). */
    private static Object toJson(Object value, CallArguments a) {
        PyJson json = new PyJson(PyValues.truthy(a.optional(0, "ensure_ascii", false)), a.optional(1, "indent", null),
                a.optional(2, "separators", null), PyValues.truthy(a.optional(3, "sort_keys", false)));
        return json.dumps(value);
    }

    private static Object items(Object value, CallArguments a) {
        if (value instanceof Undefined) {
            return List.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new TemplateRuntimeError("Can only get item pairs from a mapping.");
        }
        List<Object> pairs = new ArrayList<>();
        map.forEach((k, v) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, v))));
        return pairs;
    }

    private static Object join(Object value, CallArguments a) {
        String separator = PyRepr.str(a.optional(0, "d", ""));
        Object attribute = a.optional(1, "attribute", null);
        List<String> parts = new ArrayList<>();
        for (Object item : PyValues.iterate(value)) {
            parts.add(PyRepr.str(attribute == null ? item : SequenceFilters.attributeOf(item, attribute)));
        }
        return String.join(separator, parts);
    }

    private static Object first(List<Object> items) {
        return items.isEmpty() ? Undefined.of("No first item, sequence was empty.") : items.getFirst();
    }
}
