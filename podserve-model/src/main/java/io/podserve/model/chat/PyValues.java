package io.podserve.model.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's rules for the values templates handle: truth, equality, ordering, iteration, len, in.
 * None is Java null; int is Long (BigInteger past 64 bits); float is Double; bool is Boolean.
 */
final class PyValues {
    /** A lookup's "not found", distinct from a found None (Java null). */
    static final Object MISSING = new Object();

    /** What compare returns when either side is NaN: every ordering test is then false. */
    static final int UNORDERED = 2;

    private PyValues() {}

    static String typeName(Object o) {
        return switch (o) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case String s -> "str";
            case List<?> l -> "list";
            case PyTuple t -> "tuple";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopContext l -> "LoopContext";
            default -> "function";
        };
    }

    static boolean truthy(Object o) {
        return switch (o) {
            case null -> false;
            case Undefined u -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case BigInteger b -> b.signum() != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case PyTuple t -> !t.items().isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    static boolean isNumber(Object o) {
        return o instanceof Boolean || o instanceof Long || o instanceof BigInteger || o instanceof Double;
    }

    static boolean isInteger(Object o) {
        return o instanceof Boolean || o instanceof Long || o instanceof BigInteger;
    }

    /** An int-like value (bool counts, as in Python) as a BigInteger. */
    static BigInteger bigInteger(Object o) {
        return switch (o) {
            case Boolean b -> b ? BigInteger.ONE : BigInteger.ZERO;
            case Long l -> BigInteger.valueOf(l);
            case BigInteger b -> b;
            default -> throw new TemplateRuntimeError("'" + typeName(o) + "' object cannot be interpreted as an integer");
        };
    }

    static long toLong(Object o) {
        BigInteger value = bigInteger(o);
        if (value.bitLength() >= 64) {
            throw new TemplateRuntimeError("integer too large: " + value);
        }
        return value.longValue();
    }

    static double toDouble(Object o) {
        return o instanceof Double d ? d : bigInteger(o).doubleValue();
    }

    /** Narrows an arbitrary-precision result back to Long where it fits. */
    static Object integer(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    static boolean pyEquals(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0;
        }
        return switch (a) {
            case String s -> s.equals(b);
            case List<?> l -> b instanceof List<?> other && sequenceEquals(l, other);
            case PyTuple t -> b instanceof PyTuple other && sequenceEquals(t.items(), other.items());
            case Map<?, ?> m -> b instanceof Map<?, ?> other && mapEquals(m, other);
            case Undefined u -> b instanceof Undefined;
            default -> a.equals(b);
        };
    }

    private static boolean sequenceEquals(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!pyEquals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean mapEquals(Map<?, ?> a, Map<?, ?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<?, ?> e : a.entrySet()) {
            Object key = findKey(b, e.getKey());
            if (key == MISSING || !pyEquals(e.getValue(), b.get(key))) {
                return false;
            }
        }
        return true;
    }

    /** The key of {@code map} equal to {@code key} by Python rules (1 == 1.0 == True), or MISSING. */
    static Object findKey(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) {
            return key;
        }
        if (isNumber(key)) {
            for (Object candidate : map.keySet()) {
                if (isNumber(candidate) && pyEquals(candidate, key)) {
                    return candidate;
                }
            }
        }
        return MISSING;
    }

    /** Python's ordering for {@code <, <=, >, >=}: numbers, strings and sequences of them. */
    static int compare(Object a, Object b, String operator) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b);
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return compareSequences(x, y, operator);
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            return compareSequences(x.items(), y.items(), operator);
        }
        if (a instanceof Undefined u) {
            throw u.failure();
        }
        if (b instanceof Undefined u) {
            throw u.failure();
        }
        throw new TemplateRuntimeError("'" + operator + "' not supported between instances of '"
                + typeName(a) + "' and '" + typeName(b) + "'");
    }

    private static int compareNumbers(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            double x = toDouble(a);
            double y = toDouble(b);
            if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
                return Double.isNaN(x) || Double.isNaN(y) ? UNORDERED : Double.compare(x, y);
            }
            return exact(a).compareTo(exact(b));
        }
        return bigInteger(a).compareTo(bigInteger(b));
    }

    private static BigDecimal exact(Object number) {
        return number instanceof Double d ? new BigDecimal(d) : new BigDecimal(bigInteger(number));
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int compareSequences(List<?> a, List<?> b, String operator) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!pyEquals(a.get(i), b.get(i))) {
                return compare(a.get(i), b.get(i), operator);
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** What a for loop over {@code o} visits: list items, dict keys, string characters. */
    static List<Object> iterate(Object o) {
        return switch (o) {
            case List<?> l -> new ArrayList<>(l);
            case PyTuple t -> t.items();
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> PyStrings.characters(s);
            case Undefined u -> List.of();
            default -> throw new TemplateRuntimeError("'" + typeName(o) + "' object is not iterable");
        };
    }

    static long length(Object o) {
        return switch (o) {
            case String s -> s.codePointCount(0, s.length());
            case List<?> l -> l.size();
            case PyTuple t -> t.items().size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            default -> throw new TemplateRuntimeError("object of type '" + typeName(o) + "' has no len()");
        };
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String needle)) {
                    throw new TemplateRuntimeError("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(needle);
            }
            case Map<?, ?> m -> findKey(m, item) != MISSING;
            case Undefined u -> false;
            default -> iterate(container).stream().anyMatch(x -> pyEquals(x, item));
        };
    }
}
