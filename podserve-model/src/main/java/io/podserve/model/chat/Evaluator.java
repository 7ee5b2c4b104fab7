package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates expressions with jinja2's semantics; errors carry the line of the innermost expression. */
final class Evaluator {
    private Evaluator() {}

    static Object eval(Expr expr, Scope scope) {
        try {
            return evalNode(expr, scope);
        } catch (TemplateRuntimeError e) {
            throw e.atLine(expr.line());
        } catch (ClassCastException | ArithmeticException | IndexOutOfBoundsException e) {
            // A value of a type a filter or method did not expect: report it at this line, as jinja2 would.
            throw new TemplateRuntimeError("cannot evaluate this expression: " + e.getMessage()).atLine(expr.line());
        }
    }

    private static Object evalNode(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Const c -> c.value();
            case Expr.Name n -> scope.lookup(n.name());
            case Expr.ListLiteral l -> evalAll(l.items(), scope);
            case Expr.TupleLiteral t -> new PyTuple(evalAll(t.items(), scope));
            case Expr.DictLiteral d -> dict(d, scope);
            case Expr.GetAttr g -> Attributes.getAttribute(eval(g.target(), scope), g.attribute());
            case Expr.GetItem g -> Attributes.getItem(eval(g.target(), scope), eval(g.key(), scope));
            case Expr.Slice s -> slice(s, scope);
            case Expr.Call c -> call(eval(c.callee(), scope), c.args(), scope);
            case Expr.Filter f -> Filters.apply(f.name(), eval(f.value(), scope), arguments(f.args(), scope));
            case Expr.Test t -> TestPredicates.apply(t.name(), eval(t.value(), scope), arguments(t.args(), scope));
            case Expr.Unary u -> unary(u, scope);
            case Expr.Binary b -> binary(b, scope);
            case Expr.Compare c -> compare(c, scope);
            case Expr.Concat c -> concat(c, scope);
            case Expr.Conditional c -> conditional(c, scope);
        };
    }

    private static List<Object> evalAll(List<Expr> exprs, Scope scope) {
        List<Object> values = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            values.add(eval(e, scope));
        }
        return values;
    }

    private static Object dict(Expr.DictLiteral d, Scope scope) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < d.keys().size(); i++) {
            map.put(eval(d.keys().get(i), scope), eval(d.values().get(i), scope));
        }
        return map;
    }

    private static Object slice(Expr.Slice s, Scope scope) {
        Object target = eval(s.target(), scope);
        Object start = s.start() == null ? null : eval(s.start(), scope);
        Object stop = s.stop() == null ? null : eval(s.stop(), scope);
        Object step = s.step() == null ? null : eval(s.step(), scope);
        return switch (target) {
            case Undefined u -> throw u.failure();
            case String x -> PySequences.slice(x, start, stop, step);
            case List<?> x -> PySequences.slice(x, start, stop, step);
            case PyTuple x -> PySequences.slice(x, start, stop, step);
            default -> Undefined.of("'" + PyValues.typeName(target) + "' object cannot be sliced");
        };
    }

    static CallArguments arguments(Expr.Args args, Scope scope) {
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (int i = 0; i < args.names().size(); i++) {
            keywords.put(args.names().get(i), eval(args.named().get(i), scope));
        }
        return CallArguments.of(evalAll(args.positional(), scope), keywords);
    }

    private static Object call(Object callee, Expr.Args args, Scope scope) {
        if (callee instanceof Undefined u) {
            throw u.failure();
        }
        if (!(callee instanceof PyCallable function)) {
            throw new TemplateRuntimeError("'" + PyValues.typeName(callee) + "' object is not callable");
        }
        CallArguments a = arguments(args, scope);
        return function.call(a.positional(), a.keywords());
    }

    private static Object unary(Expr.Unary u, Scope scope) {
        Object operand = eval(u.operand(), scope);
        return switch (u.operator()) {
            case "not" -> !PyValues.truthy(operand);
            case "-" -> PyArithmetic.negate(operand);
            default -> PyArithmetic.plus(operand);
        };
    }

    /** "and"/"or" return an operand, as in Python, and skip the right side when they can. */
    private static Object binary(Expr.Binary b, Scope scope) {
        Object left = eval(b.left(), scope);
        return switch (b.operator()) {
            case "and" -> PyValues.truthy(left) ? eval(b.right(), scope) : left;
            case "or" -> PyValues.truthy(left) ? left : eval(b.right(), scope);
            default -> PyArithmetic.binary(b.operator(), left, eval(b.right(), scope));
        };
    }

    /** A chain a < b < c holds when every link holds; it stops at the first that fails. */
    private static Object compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.operators().size(); i++) {
            Object right = eval(c.operands().get(i), scope);
            if (!holds(c.operators().get(i), left, right)) {
                return false;
            }
            left = right;
        }
        return true;
    }

    private static boolean holds(String operator, Object left, Object right) {
        return switch (operator) {
            case "==" -> PyValues.pyEquals(left, right);
            case "!=" -> !PyValues.pyEquals(left, right);
            case "in" -> PyValues.contains(right, left);
            case "notin" -> !PyValues.contains(right, left);
            default -> PyArithmetic.ordered(operator, left, right);
        };
    }

    private static Object concat(Expr.Concat c, Scope scope) {
        StringBuilder out = new StringBuilder();
        for (Expr part : c.parts()) {
            out.append(PyRepr.str(eval(part, scope)));
        }
        return out.toString();
    }

    private static Object conditional(Expr.Conditional c, Scope scope) {
        if (PyValues.truthy(eval(c.test(), scope))) {
            return eval(c.then(), scope);
        }
        return c.otherwise() == null
                ? Undefined.of("the inline if-expression evaluated to false and no else section was defined")
                : eval(c.otherwise(), scope);
    }
}
