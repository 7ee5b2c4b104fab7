package io.podserve.model.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** jinja2's filters over sequences (map, select, sort, sum, ...) and number conversions. */
final class SequenceFilters {
    private SequenceFilters() {}

    static List<Object> reversed(Object value) {
        List<Object> items = new ArrayList<>(PyValues.iterate(value));
        Collections.reverse(items);
        return items;
    }

    /** jinja2's attribute getter: "a.b.0" walks items and attributes, numbers as indexes. */
    static Object attributeOf(Object item, Object attribute) {
        if (!(attribute instanceof String path)) {
            return Attributes.getItem(item, attribute);
        }
        Object value = item;
        for (String part : path.split("\\.", -1)) {
            Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part) : part;
            value = Attributes.getItem(value, key);
        }
        return value;
    }

    static Object map(Object value, CallArguments a) {
        List<Object> out = new ArrayList<>();
        if (a.positional().isEmpty() && a.keywords().containsKey("attribute")) {
            Object attribute = a.keywords().get("attribute");
            Object fallback = a.keywords().get("default");
            for (Object item : PyValues.iterate(value)) {
                Object picked = attributeOf(item, attribute);
                out.add(picked instanceof Undefined && a.keywords().containsKey("default") ? fallback : picked);
            }
            return out;
        }
        String filter = a.string(0, "filter");
        if (!Filters.exists(filter)) {
            throw new TemplateRuntimeError("no filter named '" + filter + "'");
        }
        CallArguments rest = CallArguments.of(a.positional().subList(1, a.positional().size()), a.keywords());
        for (Object item : PyValues.iterate(value)) {
            out.add(Filters.apply(filter, item, rest));
        }
        return out;
    }

    /** select/reject and selectattr/rejectattr: keep items whose test result equals {@code keep}. */
    static Object select(Object value, CallArguments a, boolean keep, boolean byAttribute) {
        List<Object> positional = a.positional();
        int testAt = byAttribute ? 1 : 0;
        Object attribute = byAttribute ? a.required(0, "attribute") : null;
        String test = positional.size() > testAt ? (String) positional.get(testAt) : null;
        CallArguments testArgs = CallArguments.of(
                positional.size() > testAt + 1 ? positional.subList(testAt + 1, positional.size()) : List.of(), a.keywords());
        List<Object> out = new ArrayList<>();
        for (Object item : PyValues.iterate(value)) {
            Object subject = byAttribute ? attributeOf(item, attribute) : item;
            boolean passed = test == null ? PyValues.truthy(subject) : TestPredicates.apply(test, subject, testArgs);
            if (passed == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Function<Object, Object> sortKey(CallArguments a, int caseSensitiveAt, int attributeAt) {
        boolean caseSensitive = PyValues.truthy(a.optional(caseSensitiveAt, "case_sensitive", false));
        Object attribute = a.optional(attributeAt, "attribute", null);
        return item -> {
            Object key = attribute == null ? item : attributeOf(item, attribute);
            return !caseSensitive && key instanceof String s ? s.toLowerCase(Locale.ROOT) : key;
        };
    }

    static Object sort(Object value, CallArguments a) {
        boolean reverse = PyValues.truthy(a.optional(0, "reverse", false));
        Function<Object, Object> key = sortKey(a, 1, 2);
        List<Object> items = new ArrayList<>(PyValues.iterate(value));
        Comparator<Object> order = (x, y) -> PyValues.compare(key.apply(x), key.apply(y), "<");
        items.sort(reverse ? order.reversed() : order);
        return items;
    }

    /** dictsort(case_sensitive=False, by='key', reverse=False): a dict's (key, value) pairs, sorted. */
    static Object dictsort(Object value, CallArguments a) {
        if (!(value instanceof java.util.Map<?, ?> map)) {
            throw new TemplateRuntimeError("dictsort needs a mapping, not " + PyValues.typeName(value));
        }
        boolean caseSensitive = PyValues.truthy(a.optional(0, "case_sensitive", false));
        Object by = a.optional(1, "by", "key");
        if (!by.equals("key") && !by.equals("value")) {
            throw new TemplateRuntimeError("You can only sort by either 'key' or 'value'");
        }
        int position = by.equals("key") ? 0 : 1;
        List<Object> pairs = new ArrayList<>();
        map.forEach((k, v) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, v))));
        Function<Object, Object> key = pair -> {
            Object part = ((PyTuple) pair).items().get(position);
            return !caseSensitive && part instanceof String s ? s.toLowerCase(Locale.ROOT) : part;
        };
        Comparator<Object> order = (x, y) -> PyValues.compare(key.apply(x), key.apply(y), "<");
        pairs.sort(PyValues.truthy(a.optional(2, "reverse", false)) ? order.reversed() : order);
        return pairs;
    }

    static Object unique(Object value, CallArguments a) {
        Function<Object, Object> key = sortKey(a, 0, 1);
        List<Object> seen = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object item : PyValues.iterate(value)) {
            Object k = key.apply(item);
            if (seen.stream().noneMatch(s -> PyValues.pyEquals(s, k))) {
                seen.add(k);
                out.add(item);
            }
        }
        return out;
    }

    static Object extreme(Object value, CallArguments a, boolean minimum) {
        Function<Object, Object> key = sortKey(a, 0, 1);
        Object best = null;
        boolean any = false;
        for (Object item : PyValues.iterate(value)) {
            int order = any ? PyValues.compare(key.apply(item), key.apply(best), "<") : 0;
            if (!any || (minimum ? order < 0 : order > 0)) {
                best = item;
                any = true;
            }
        }
        return any ? best : Undefined.of("No aggregated item, sequence was empty.");
    }

    static Object sum(Object value, CallArguments a) {
        Object attribute = a.optional(0, "attribute", null);
        Object total = a.optional(1, "start", 0L);
        for (Object item : PyValues.iterate(value)) {
            total = PyArithmetic.binary("+", total, attribute == null ? item : attributeOf(item, attribute));
        }
        return total;
    }

    static Object toInt(Object value, CallArguments a) {
        Object fallback = a.optional(0, "default", 0L);
        try {
            return switch (value) {
                case String s -> parseIntString(s.strip().replace("_", ""), (int) a.optionalInt(1, "base", 10));
                case Double d -> PyValues.integer(new BigDecimal(d).toBigInteger());
                default -> PyValues.integer(PyValues.bigInteger(value));
            };
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static Object parseIntString(String s, int base) {
        try {
            return PyValues.integer(new java.math.BigInteger(s, base));
        } catch (NumberFormatException e) {
            return PyValues.integer(new BigDecimal(Double.parseDouble(s)).toBigInteger());
        }
    }

    static Object toFloat(Object value, CallArguments a) {
        try {
            return value instanceof String s ? Double.parseDouble(s.strip()) : PyValues.toDouble(value);
        } catch (RuntimeException e) {
            return a.optional(0, "default", 0.0);
        }
    }

    static Object round(Object value, CallArguments a) {
        int precision = (int) a.optionalInt(0, "precision", 0);
        String method = (String) a.optional(1, "method", "common");
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new TemplateRuntimeError("method must be common, ceil or floor");
        };
        return new BigDecimal(PyValues.toDouble(value)).setScale(precision, mode).doubleValue();
    }
}
