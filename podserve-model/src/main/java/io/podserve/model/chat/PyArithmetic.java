package io.podserve.model.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Python's arithmetic operators on template values: int stays exact, bool counts as int. */
final class PyArithmetic {
    private static final int MAX_EXPONENT = 10_000;

    private PyArithmetic() {}

    static Object binary(String operator, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.failure();
        }
        if (b instanceof Undefined u) {
            throw u.failure();
        }
        if (PyValues.isNumber(a) && PyValues.isNumber(b)) {
            return a instanceof Double || b instanceof Double
                    ? floatOp(operator, PyValues.toDouble(a), PyValues.toDouble(b))
                    : intOp(operator, PyValues.bigInteger(a), PyValues.bigInteger(b));
        }
        Object result = switch (operator) {
            case "+" -> concatenate(a, b);
            case "*" -> repeat(a, b);
            default -> null;
        };
        if (result == null) {
            throw new TemplateRuntimeError("unsupported operand type(s) for " + operator + ": '"
                    + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
        }
        return result;
    }

    private static Object intOp(String operator, BigInteger a, BigInteger b) {
        return switch (operator) {
            case "+" -> PyValues.integer(a.add(b));
            case "-" -> PyValues.integer(a.subtract(b));
            case "*" -> PyValues.integer(a.multiply(b));
            case "/" -> floatOp("/", a.doubleValue(), b.doubleValue());
            case "//" -> PyValues.integer(floorDivide(a, nonZero(b)));
            case "%" -> PyValues.integer(a.subtract(floorDivide(a, nonZero(b)).multiply(b)));
            case "**" -> power(a, b);
            default -> throw new IllegalArgumentException(operator);
        };
    }

    private static BigInteger nonZero(BigInteger divisor) {
        if (divisor.signum() == 0) {
            throw new TemplateRuntimeError("integer division or modulo by zero");
        }
        return divisor;
    }

    private static BigInteger floorDivide(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        boolean roundDown = qr[1].signum() != 0 && (qr[1].signum() != b.signum());
        return roundDown ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    private static Object power(BigInteger base, BigInteger exponent) {
        if (exponent.signum() < 0) {
            return floatOp("**", base.doubleValue(), exponent.doubleValue());
        }
        if (exponent.compareTo(BigInteger.valueOf(MAX_EXPONENT)) > 0) {
            throw new TemplateRuntimeError("exponent too large");
        }
        return PyValues.integer(base.pow(exponent.intValue()));
    }

    private static Object floatOp(String operator, double a, double b) {
        if (b == 0 && (operator.equals("/") || operator.equals("//") || operator.equals("%"))) {
            throw new TemplateRuntimeError("float division by zero");
        }
        return switch (operator) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "//" -> Math.floor(a / b);
            case "%" -> {
                double r = a % b;
                yield r != 0 && (r < 0) != (b < 0) ? r + b : r;
            }
            case "**" -> {
                if (a == 0 && b < 0) {
                    throw new TemplateRuntimeError("0.0 cannot be raised to a negative power");
                }
                yield Math.pow(a, b);
            }
            default -> throw new IllegalArgumentException(operator);
        };
    }

    private static Object concatenate(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> joined = new ArrayList<>(x);
            joined.addAll(y);
            return joined;
        }
        if (a instanceof PyTuple x && b instanceof PyTuple y) {
            List<Object> joined = new ArrayList<>(x.items());
            joined.addAll(y.items());
            return new PyTuple(joined);
        }
        return null;
    }

    private static Object repeat(Object a, Object b) {
        if (PyValues.isInteger(a) && !PyValues.isInteger(b)) {
            return repeat(b, a);
        }
        if (!PyValues.isInteger(b)) {
            return null;
        }
        int times = (int) Math.max(0, PyValues.toLong(b));
        return switch (a) {
            case String s -> s.repeat(times);
            case List<?> l -> new ArrayList<Object>(Collections.nCopies(times, l).stream().flatMap(List::stream).toList());
            case PyTuple t -> new PyTuple(Collections.nCopies(times, t.items()).stream().flatMap(List::stream).toList());
            default -> null;
        };
    }

    static Object negate(Object v) {
        return unary("-", v, true);
    }

    static Object plus(Object v) {
        return unary("+", v, false);
    }

    private static Object unary(String operator, Object v, boolean negate) {
        if (v instanceof Undefined u) {
            throw u.failure();
        }
        if (v instanceof Double d) {
            return negate ? -d : d;
        }
        if (PyValues.isInteger(v)) {
            BigInteger i = PyValues.bigInteger(v);
            return PyValues.integer(negate ? i.negate() : i);
        }
        throw new TemplateRuntimeError("bad operand type for unary " + operator + ": '" + PyValues.typeName(v) + "'");
    }

    static Object abs(Object v) {
        if (!PyValues.isNumber(v)) {
            throw new TemplateRuntimeError("bad operand type for abs(): '" + PyValues.typeName(v) + "'");
        }
        return v instanceof Double d ? Math.abs(d) : PyValues.integer(PyValues.bigInteger(v).abs());
    }

    static boolean isZero(Object v) {
        return PyValues.pyEquals(v, 0L);
    }

    /** The ordering comparisons, by operator or by the name of the equivalent jinja2 test. */
    static boolean ordered(String operator, Object a, Object b) {
        int c = PyValues.compare(a, b, operator);
        if (c == PyValues.UNORDERED) {
            return false;
        }
        return switch (operator) {
            case "<", "lt", "lessthan" -> c < 0;
            case "<=", "le" -> c <= 0;
            case ">", "gt", "greaterthan" -> c > 0;
            case ">=", "ge" -> c >= 0;
            default -> throw new IllegalArgumentException(operator);
        };
    }
}
