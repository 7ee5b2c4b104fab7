package io.podserve.model.chat;

import io.podserve.model.chat.Node.Target;
import java.util.ArrayList;
import java.util.List;

/** Executes the statement tree: output, if, for (with loop controls), set, macro definitions. */
final class Renderer {
    /** How a body finished: normally, or through {% break %} / {% continue %}. */
    private enum Flow { NORMAL, BREAK, CONTINUE }

    private Renderer() {}

    static String renderToString(List<Node> nodes, Scope scope) {
        StringBuilder out = new StringBuilder();
        render(nodes, scope, out);
        return out.toString();
    }

    private static Flow render(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Flow flow = renderNode(node, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private static Flow renderNode(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Output o -> out.append(PyRepr.str(Evaluator.eval(o.value(), scope)));
            case Node.If i -> {
                return renderIf(i, scope, out);
            }
            case Node.For f -> renderFor(f, scope, out);
            case Node.Set s -> assign(s.target(), Evaluator.eval(s.value(), scope), scope, s.line());
            case Node.SetBlock s -> assign(s.target(), renderToString(s.body(), scope.child()), scope, s.line());
            case Node.Macro m -> scope.set(m.name(), new Macro(m, scope));
            case Node.LoopControl c -> {
                return c.isBreak() ? Flow.BREAK : Flow.CONTINUE;
            }
            case Node.Group g -> {
                return render(g.body(), scope, out);
            }
        }
        return Flow.NORMAL;
    }

    private static Flow renderIf(Node.If node, Scope scope, StringBuilder out) {
        for (int i = 0; i < node.tests().size(); i++) {
            if (PyValues.truthy(Evaluator.eval(node.tests().get(i), scope))) {
                return render(node.bodies().get(i), scope, out);
            }
        }
        return render(node.orElse(), scope, out);
    }

    /** Each iteration runs in a fresh child scope, so what the body sets is gone next time round. */
    private static void renderFor(Node.For node, Scope scope, StringBuilder out) {
        List<Object> items = iterate(node, scope);
        if (items.isEmpty()) {
            render(node.orElse(), scope, out);
            return;
        }
        LoopContext loop = new LoopContext(items);
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = scope.child();
            assign(node.target(), items.get(i), iteration, node.line());
            loop.moveTo(i);
            iteration.set("loop", loop);
            if (render(node.body(), iteration, out) == Flow.BREAK) {
                return;
            }
        }
    }

    private static List<Object> iterate(Node.For node, Scope scope) {
        List<Object> items;
        try {
            items = PyValues.iterate(Evaluator.eval(node.iterable(), scope));
        } catch (TemplateRuntimeError e) {
            throw e.atLine(node.line());
        }
        if (node.filter() == null) {
            return items;
        }
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
            Scope candidate = scope.child();
            assign(node.target(), item, candidate, node.line());
            if (PyValues.truthy(Evaluator.eval(node.filter(), candidate))) {
                kept.add(item);
            }
        }
        return kept;
    }

    private static void assign(Target target, Object value, Scope scope, int line) {
        switch (target) {
            case Target.Variable v -> scope.set(v.name(), value);
            case Target.Unpack u -> unpack(u, value, scope, line);
            case Target.NamespaceAttribute a -> {
                if (!(scope.lookup(a.namespace()) instanceof Namespace ns)) {
                    throw new TemplateRuntimeError("cannot assign attribute on non-namespace object").atLine(line);
                }
                ns.set(a.attribute(), value);
            }
        }
    }

    private static void unpack(Target.Unpack target, Object value, Scope scope, int line) {
        List<Object> values;
        try {
            values = PyValues.iterate(value);
        } catch (TemplateRuntimeError e) {
            throw new TemplateRuntimeError("cannot unpack non-iterable " + PyValues.typeName(value) + " object").atLine(line);
        }
        int expected = target.parts().size();
        if (values.size() != expected) {
            String problem = values.size() > expected ? "too many values to unpack" : "not enough values to unpack";
            throw new TemplateRuntimeError(problem + " (expected " + expected + ", got " + values.size() + ")").atLine(line);
        }
        for (int i = 0; i < expected; i++) {
            assign(target.parts().get(i), values.get(i), scope, line);
        }
    }
}
