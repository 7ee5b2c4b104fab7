package io.podserve.model.chat;

import java.util.List;

/** The expression tree jinja2's parser builds; every node keeps its source line for errors. */
sealed interface Expr {
    int line();

    record Const(Object value, int line) implements Expr {}

    record Name(String name, int line) implements Expr {}

    record ListLiteral(List<Expr> items, int line) implements Expr {}

    record TupleLiteral(List<Expr> items, int line) implements Expr {}

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {}

    record GetAttr(Expr target, String attribute, int line) implements Expr {}

    record GetItem(Expr target, Expr key, int line) implements Expr {}

    /** {@code target[start:stop:step]}; absent parts are null. */
    record Slice(Expr target, Expr start, Expr stop, Expr step, int line) implements Expr {}

    record Call(Expr callee, Args args, int line) implements Expr {}

    record Filter(Expr value, String name, Args args, int line) implements Expr {}

    /** {@code value is name(args)}; negation is a separate {@code not}. */
    record Test(Expr value, String name, Args args, int line) implements Expr {}

    /** "not", "-" or "+". */
    record Unary(String operator, Expr operand, int line) implements Expr {}

    /** Arithmetic ("+", "-", "*", "/", "//", "%", "**") and short-circuit "and"/"or". */
    record Binary(String operator, Expr left, Expr right, int line) implements Expr {}

    /** A comparison chain such as {@code a < b <= c}; operators include "in" and "notin". */
    record Compare(Expr first, List<String> operators, List<Expr> operands, int line) implements Expr {}

    /** The "~" operator over two or more operands. */
    record Concat(List<Expr> parts, int line) implements Expr {}

    /** {@code then if test else otherwise}; otherwise is null when the else part is missing. */
    record Conditional(Expr test, Expr then, Expr otherwise, int line) implements Expr {}

    /** Call arguments: positional ones, then keyword ones in source order. */
    record Args(List<Expr> positional, List<String> names, List<Expr> named) {
        static final Args NONE = new Args(List.of(), List.of(), List.of());
    }
}
