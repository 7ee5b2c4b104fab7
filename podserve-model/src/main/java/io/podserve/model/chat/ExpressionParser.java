package io.podserve.model.chat;

import io.podserve.model.chat.Expr.Args;
import io.podserve.model.chat.Token.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** jinja2's expression grammar, level by level, so precedence matches its parser exactly. */
final class ExpressionParser {
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> MULTIPLICATIVE = Set.of("*", "/", "//", "%");
    private static final Set<Kind> TEST_ARGUMENT_START = Set.of(Kind.NAME, Kind.STRING, Kind.INTEGER, Kind.FLOAT);

    private final TokenStream stream;

    ExpressionParser(TokenStream stream) {
        this.stream = stream;
    }

    /** A comma-separated list becomes a tuple; {@code endName} (e.g. "in") also ends it. */
    Expr tuple(boolean withConditional, String endName) {
        int line = stream.current().line();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                stream.expectOperator(",");
            }
            if (isTupleEnd(endName)) {
                break;
            }
            items.add(withConditional ? expression() : or());
            if (!stream.current().isOperator(",")) {
                break;
            }
            isTuple = true;
        }
        if (isTuple) {
            return new Expr.TupleLiteral(List.copyOf(items), line);
        }
        if (items.isEmpty()) {
            throw stream.fail("expected an expression, got " + stream.current().describe());
        }
        return items.getFirst();
    }

    private boolean isTupleEnd(String endName) {
        Token t = stream.current();
        return t.kind() == Kind.VARIABLE_END || t.kind() == Kind.BLOCK_END || t.isOperator(")")
                || (endName != null && t.isName(endName));
    }

    Expr expression() {
        Expr value = or();
        while (stream.current().isName("if")) {
            int line = stream.next().line();
            Expr test = or();
            Expr otherwise = stream.skipName("else") ? expression() : null;
            value = new Expr.Conditional(test, value, otherwise, line);
        }
        return value;
    }

    Expr or() {
        Expr left = and();
        while (stream.current().isName("or")) {
            int line = stream.next().line();
            left = new Expr.Binary("or", left, and(), line);
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (stream.current().isName("and")) {
            int line = stream.next().line();
            left = new Expr.Binary("and", left, not(), line);
        }
        return left;
    }

    private Expr not() {
        if (stream.current().isName("not")) {
            int line = stream.next().line();
            return new Expr.Unary("not", not(), line);
        }
        return compare();
    }

    private Expr compare() {
        int line = stream.current().line();
        Expr first = additive();
        List<String> operators = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = stream.current();
            if (t.kind() == Kind.OPERATOR && COMPARISONS.contains(t.text())) {
                operators.add(stream.next().text());
            } else if (stream.skipName("in")) {
                operators.add("in");
            } else if (t.isName("not") && stream.look().isName("in")) {
                stream.next();
                stream.next();
                operators.add("notin");
            } else {
                break;
            }
            operands.add(additive());
        }
        return operators.isEmpty() ? first : new Expr.Compare(first, List.copyOf(operators), List.copyOf(operands), line);
    }

    private Expr additive() {
        Expr left = concat();
        while (stream.current().isOperator("+") || stream.current().isOperator("-")) {
            Token op = stream.next();
            left = new Expr.Binary(op.text(), left, concat(), op.line());
        }
        return left;
    }

    private Expr concat() {
        int line = stream.current().line();
        List<Expr> parts = new ArrayList<>(List.of(multiplicative()));
        while (stream.skipOperator("~")) {
            parts.add(multiplicative());
        }
        return parts.size() == 1 ? parts.getFirst() : new Expr.Concat(List.copyOf(parts), line);
    }

    private Expr multiplicative() {
        Expr left = power();
        while (stream.current().kind() == Kind.OPERATOR && MULTIPLICATIVE.contains(stream.current().text())) {
            Token op = stream.next();
            left = new Expr.Binary(op.text(), left, power(), op.line());
        }
        return left;
    }

    private Expr power() {
        Expr left = unary(true);
        while (stream.current().isOperator("**")) {
            Token op = stream.next();
            left = new Expr.Binary("**", left, unary(true), op.line());
        }
        return left;
    }

    private Expr unary(boolean withFilters) {
        Token t = stream.current();
        Expr value;
        if (t.isOperator("-") || t.isOperator("+")) {
            stream.next();
            value = new Expr.Unary(t.text(), unary(false), t.line());
        } else {
            value = primary();
        }
        value = postfix(value);
        return withFilters ? filters(value) : value;
    }

    private Expr primary() {
        Token t = stream.next();
        return switch (t.kind()) {
            case NAME -> nameOrConstant(t);
            case STRING -> adjacentStrings(t);
            case INTEGER -> new Expr.Const(parseInteger(t.text()), t.line());
            case FLOAT -> new Expr.Const(Double.parseDouble(t.text().replace("_", "")), t.line());
            case OPERATOR -> bracketed(t);
            default -> throw new TemplateSyntaxError("unexpected " + t.describe(), t.line());
        };
    }

    private static Expr nameOrConstant(Token t) {
        return switch (t.text()) {
            case "true", "True" -> new Expr.Const(Boolean.TRUE, t.line());
            case "false", "False" -> new Expr.Const(Boolean.FALSE, t.line());
            case "none", "None" -> new Expr.Const(null, t.line());
            default -> new Expr.Name(t.text(), t.line());
        };
    }

    private Expr adjacentStrings(Token first) {
        StringBuilder joined = new StringBuilder(first.text());
        while (stream.current().kind() == Kind.STRING) {
            joined.append(stream.next().text());
        }
        return new Expr.Const(joined.toString(), first.line());
    }

    private static Object parseInteger(String text) {
        String digits = text.replace("_", "").toLowerCase();
        int radix = digits.startsWith("0x") ? 16 : digits.startsWith("0o") ? 8 : digits.startsWith("0b") ? 2 : 10;
        BigInteger value = new BigInteger(radix == 10 ? digits : digits.substring(2), radix);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private Expr bracketed(Token open) {
        return switch (open.text()) {
            case "(" -> {
                Expr inner = parenthesized(open.line());
                stream.expectOperator(")");
                yield inner;
            }
            case "[" -> new Expr.ListLiteral(listItems(), open.line());
            case "{" -> dictLiteral(open.line());
            default -> throw new TemplateSyntaxError("unexpected '" + open.text() + "'", open.line());
        };
    }

    /** "()" is an empty tuple, "(x)" is x, "(x,)" is a one-element tuple. */
    private Expr parenthesized(int line) {
        return stream.current().isOperator(")") ? new Expr.TupleLiteral(List.of(), line) : tuple(true, null);
    }

    private List<Expr> listItems() {
        List<Expr> items = new ArrayList<>();
        while (!stream.current().isOperator("]")) {
            if (!items.isEmpty()) {
                stream.expectOperator(",");
            }
            if (stream.current().isOperator("]")) {
                break;
            }
            items.add(expression());
        }
        stream.expectOperator("]");
        return List.copyOf(items);
    }

    private Expr dictLiteral(int line) {
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!stream.current().isOperator("}")) {
            if (!keys.isEmpty()) {
                stream.expectOperator(",");
            }
            if (stream.current().isOperator("}")) {
                break;
            }
            keys.add(expression());
            stream.expectOperator(":");
            values.add(expression());
        }
        stream.expectOperator("}");
        return new Expr.DictLiteral(List.copyOf(keys), List.copyOf(values), line);
    }

    private Expr postfix(Expr value) {
        while (true) {
            Token t = stream.current();
            if (t.isOperator(".")) {
                value = attribute(value);
            } else if (t.isOperator("[")) {
                value = subscript(value);
            } else if (t.isOperator("(")) {
                value = new Expr.Call(value, callArgs(), t.line());
            } else {
                return value;
            }
        }
    }

    private Expr attribute(Expr target) {
        int line = stream.next().line();
        Token name = stream.next();
        if (name.kind() == Kind.NAME) {
            return new Expr.GetAttr(target, name.text(), line);
        }
        if (name.kind() == Kind.INTEGER) {
            return new Expr.GetItem(target, new Expr.Const(parseInteger(name.text()), line), line);
        }
        throw new TemplateSyntaxError("expected name or number", name.line());
    }

    private Expr subscript(Expr target) {
        int line = stream.next().line();
        Expr[] parts = new Expr[3];
        boolean isSlice = false;
        for (int part = 0; part < 3; part++) {
            if (part > 0 && !stream.skipOperator(":")) {
                break;
            }
            isSlice |= part > 0;
            Token t = stream.current();
            if (!t.isOperator(":") && !t.isOperator("]")) {
                parts[part] = expression();
            }
        }
        if (stream.current().isOperator(",")) {
            throw stream.fail("tuple subscripts such as x[a, b] are not supported");
        }
        stream.expectOperator("]");
        if (!isSlice && parts[0] == null) {
            throw new TemplateSyntaxError("expected an expression inside []", line);
        }
        return isSlice ? new Expr.Slice(target, parts[0], parts[1], parts[2], line)
                : new Expr.GetItem(target, parts[0], line);
    }

    private Expr filters(Expr value) {
        while (true) {
            Token t = stream.current();
            if (t.isOperator("|")) {
                stream.next();
                String name = stream.expect(Kind.NAME).text();
                Filters.requireKnown(name, t.line());
                Args args = stream.current().isOperator("(") ? callArgs() : Args.NONE;
                value = new Expr.Filter(value, name, args, t.line());
            } else if (t.isName("is")) {
                value = test(value);
            } else if (t.isOperator("(")) {
                value = new Expr.Call(value, callArgs(), t.line());
            } else {
                return value;
            }
        }
    }

    private Expr test(Expr value) {
        int line = stream.next().line();
        boolean negated = stream.skipName("not");
        String name = stream.expect(Kind.NAME).text();
        TestPredicates.requireKnown(name, line);
        Args args = Args.NONE;
        Token t = stream.current();
        if (t.isOperator("(")) {
            args = callArgs();
        } else if (startsTestArgument(t)) {
            args = new Args(List.of(postfix(primary())), List.of(), List.of());
        }
        Expr test = new Expr.Test(value, name, args, line);
        return negated ? new Expr.Unary("not", test, line) : test;
    }

    private static boolean startsTestArgument(Token t) {
        boolean opens = t.isOperator("[") || t.isOperator("{");
        boolean keyword = t.isName("else") || t.isName("or") || t.isName("and");
        return opens || (TEST_ARGUMENT_START.contains(t.kind()) && !keyword);
    }

    Args callArgs() {
        stream.expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> named = new ArrayList<>();
        while (!stream.current().isOperator(")")) {
            if (!positional.isEmpty() || !names.isEmpty()) {
                stream.expectOperator(",");
                if (stream.current().isOperator(")")) {
                    break;
                }
            }
            if (stream.current().isOperator("*") || stream.current().isOperator("**")) {
                throw stream.fail("*args and **kwargs in calls are not supported");
            }
            if (stream.current().kind() == Kind.NAME && stream.look().isOperator("=")) {
                names.add(stream.next().text());
                stream.next();
                named.add(expression());
            } else if (!names.isEmpty()) {
                throw stream.fail("invalid syntax for function call expression");
            } else {
                positional.add(expression());
            }
        }
        stream.expectOperator(")");
        return new Args(List.copyOf(positional), List.copyOf(names), List.copyOf(named));
    }
}
