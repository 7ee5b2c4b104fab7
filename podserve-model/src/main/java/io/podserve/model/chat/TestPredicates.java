package io.podserve.model.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** jinja2's tests, the right-hand side of {@code value is name}. */
final class TestPredicates {
    private static final Set<String> NAMES = Set.of("defined", "undefined", "none", "string", "number", "integer",
            "float", "boolean", "true", "false", "mapping", "sequence", "iterable", "callable", "odd", "even",
            "divisibleby", "sameas", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt",
            "greaterthan", ">", "ge", ">=", "in", "lower", "upper", "escaped", "filter", "test");

    private static final CallArguments NO_ARGUMENTS = CallArguments.of(List.of(), Map.of());

    private TestPredicates() {}

    static void requireKnown(String name, int line) {
        if (!NAMES.contains(name)) {
            throw new TemplateSyntaxError("no test named '" + name + "'", line);
        }
    }

    static boolean apply(String name, Object v, CallArguments a) {
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "string" -> v instanceof String;
            case "number" -> PyValues.isNumber(v);
            case "integer" -> PyValues.isInteger(v) && !(v instanceof Boolean);
            case "float" -> v instanceof Double;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "mapping" -> v instanceof Map;
            case "sequence" -> v instanceof String || v instanceof List || v instanceof PyTuple || v instanceof Map;
            case "iterable" -> v instanceof String || v instanceof List || v instanceof PyTuple || v instanceof Map
                    || v instanceof Undefined;
            case "callable" -> v instanceof PyCallable || v instanceof Undefined;
            case "odd" -> PyValues.bigInteger(v).testBit(0);
            case "even" -> !PyValues.bigInteger(v).testBit(0);
            case "divisibleby" -> PyArithmetic.isZero(PyArithmetic.binary("%", v, a.required(0, "num")));
            case "sameas" -> sameObject(v, a.required(0, "other"));
            case "lower" -> (Boolean) PyStrings.call(PyRepr.str(v), "islower", NO_ARGUMENTS);
            case "upper" -> (Boolean) PyStrings.call(PyRepr.str(v), "isupper", NO_ARGUMENTS);
            case "escaped" -> false;
            case "filter" -> v instanceof String s && Filters.exists(s);
            case "test" -> v instanceof String s && NAMES.contains(s);
            case "in" -> PyValues.contains(a.required(0, "seq"), v);
            default -> compare(name, v, a.required(0, "other"));
        };
    }

    private static boolean compare(String name, Object v, Object other) {
        return switch (name) {
            case "eq", "equalto", "==" -> PyValues.pyEquals(v, other);
            case "ne", "!=" -> !PyValues.pyEquals(v, other);
            default -> PyArithmetic.ordered(name, v, other);
        };
    }

    /** Python's "is": identity, which for None and booleans is value equality. */
    private static boolean sameObject(Object v, Object other) {
        if (v == null || other == null || v instanceof Boolean || other instanceof Boolean) {
            return java.util.Objects.equals(v, other);
        }
        return v == other;
    }
}
