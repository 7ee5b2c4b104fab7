package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.List;

/** Python indexing and slicing of lists, tuples and strings (strings by code point). */
final class PySequences {
    private PySequences() {}

    /** {@code seq[index]}, or MISSING when out of range; negative indexes count from the end. */
    static Object index(Object seq, Object index) {
        List<?> items = items(seq);
        long i = PyValues.toLong(index);
        long at = i < 0 ? i + items.size() : i;
        return at < 0 || at >= items.size() ? PyValues.MISSING : items.get((int) at);
    }

    static Object slice(Object seq, Object start, Object stop, Object step) {
        List<?> items = items(seq);
        List<Object> picked = new ArrayList<>();
        for (int i : indices(items.size(), start, stop, step)) {
            picked.add(items.get(i));
        }
        return switch (seq) {
            case String s -> String.join("", picked.stream().map(String.class::cast).toList());
            case PyTuple t -> new PyTuple(picked);
            default -> picked;
        };
    }

    private static List<?> items(Object seq) {
        return switch (seq) {
            case List<?> l -> l;
            case PyTuple t -> t.items();
            case String s -> PyStrings.characters(s);
            default -> throw new TemplateRuntimeError("'" + PyValues.typeName(seq) + "' object is not subscriptable");
        };
    }

    /** The positions slice(start, stop, step) selects from a sequence of {@code length} items. */
    static List<Integer> indices(int length, Object start, Object stop, Object step) {
        long stride = step == null ? 1 : sliceBound(step);
        if (stride == 0) {
            throw new TemplateRuntimeError("slice step cannot be zero");
        }
        long lower = stride > 0 ? 0 : -1;
        long upper = stride > 0 ? length : length - 1;
        long from = start == null ? (stride > 0 ? lower : upper) : clamp(sliceBound(start), length, lower, upper);
        long to = stop == null ? (stride > 0 ? upper : lower) : clamp(sliceBound(stop), length, lower, upper);
        List<Integer> picked = new ArrayList<>();
        for (long i = from; stride > 0 ? i < to : i > to; i += stride) {
            picked.add((int) i);
        }
        return picked;
    }

    private static long sliceBound(Object bound) {
        if (!PyValues.isInteger(bound)) {
            throw new TemplateRuntimeError("slice indices must be integers or None, not " + PyValues.typeName(bound));
        }
        return PyValues.toLong(bound);
    }

    private static long clamp(long bound, int length, long lower, long upper) {
        long value = bound < 0 ? bound + length : bound;
        return Math.max(lower, Math.min(upper, value));
    }
}
