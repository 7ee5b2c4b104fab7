package io.podserve.model.chat;

import java.util.List;

/** The statement tree of a parsed template. */
sealed interface Node {
    record Text(String text) implements Node {}

    record Output(Expr value, int line) implements Node {}

    /** if / elif chains: tests.get(i) guards bodies.get(i); orElse runs when none holds. */
    record If(List<Expr> tests, List<List<Node>> bodies, List<Node> orElse) implements Node {}

    /** filter is the optional {@code for x in xs if cond} condition, or null. */
    record For(Target target, Expr iterable, Expr filter, List<Node> body, List<Node> orElse, int line)
            implements Node {}

    record Set(Target target, Expr value, int line) implements Node {}

    record SetBlock(Target target, List<Node> body, int line) implements Node {}

    record Macro(String name, List<String> parameters, List<Expr> defaults, List<Node> body) implements Node {}

    record LoopControl(boolean isBreak) implements Node {}

    /** A body rendered in place, e.g. transformers' {% generation %} block. */
    record Group(List<Node> body) implements Node {}

    /** The left-hand side of set and for. */
    sealed interface Target {
        record Variable(String name) implements Target {}

        record Unpack(List<Target> parts) implements Target {}

        /** {@code set ns.attribute = ...}: the only attribute assignment jinja2 allows. */
        record NamespaceAttribute(String namespace, String attribute) implements Target {}
    }
}
