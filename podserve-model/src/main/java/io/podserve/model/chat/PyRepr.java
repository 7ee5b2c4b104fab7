package io.podserve.model.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Python's str() and repr(): what {{ value }} prints, including lists, dicts and floats. */
final class PyRepr {
    private PyRepr() {}

    static String str(Object o) {
        return switch (o) {
            case null -> "None";
            case String s -> s;
            case Undefined u -> "";
            default -> repr(o);
        };
    }

    static String repr(Object o) {
        return switch (o) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            case Double d -> floatRepr(d);
            case String s -> stringRepr(s);
            case List<?> l -> join("[", l, "]");
            case PyTuple t -> t.items().size() == 1 ? "(" + repr(t.items().getFirst()) + ",)" : join("(", t.items(), ")");
            case Map<?, ?> m -> mapRepr(m);
            case Undefined u -> "Undefined";
            case Namespace n -> "<Namespace " + mapRepr(n.attributes()) + ">";
            case LoopContext l -> "<LoopContext " + l.index() + "/" + l.length() + ">";
            case Macro m -> "<Macro '" + m.name() + "'>";
            default -> "<built-in function>";
        };
    }

    private static String join(String open, List<?> items, String close) {
        StringJoiner joiner = new StringJoiner(", ", open, close);
        items.forEach(item -> joiner.add(repr(item)));
        return joiner.toString();
    }

    private static String mapRepr(Map<?, ?> map) {
        StringJoiner joiner = new StringJoiner(", ", "{", "}");
        map.forEach((k, v) -> joiner.add(repr(k) + ": " + repr(v)));
        return joiner.toString();
    }

    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(cp -> appendReprChar(out, cp, quote));
        return out.append(quote).toString();
    }

    private static void appendReprChar(StringBuilder out, int cp, char quote) {
        switch (cp) {
            case '\\' -> out.append("\\\\");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            default -> {
                if (cp == quote) {
                    out.append('\\').append(quote);
                } else if (isPrintable(cp)) {
                    out.appendCodePoint(cp);
                } else if (cp <= 0xFF) {
                    out.append(String.format("\\x%02x", cp));
                } else if (cp <= 0xFFFF) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** str.isprintable() for one code point: everything but controls, separators and unassigned. */
    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * float.__repr__: the shortest digits that round-trip (which Java's Double.toString also
     * finds), laid out with Python's rule of scientific notation below 1e-4 and from 1e16.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : "";
        if (d == 0) {
            return sign + "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int pointPosition = digits.length() - shortest.scale();
        return sign + layOutDigits(digits, pointPosition);
    }

    /** Digits d1d2... with the value 0.d1d2... times 10^pointPosition, in repr's layout. */
    private static String layOutDigits(String digits, int pointPosition) {
        if (pointPosition <= -4 || pointPosition > 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int exponent = pointPosition - 1;
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        if (pointPosition <= 0) {
            return "0." + "0".repeat(-pointPosition) + digits;
        }
        if (pointPosition >= digits.length()) {
            return digits + "0".repeat(pointPosition - digits.length()) + ".0";
        }
        return digits.substring(0, pointPosition) + "." + digits.substring(pointPosition);
    }
}
