package io.podserve.model.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. As in jinja2, a for-loop iteration and a macro
 * call each get a child scope, so what they set does not leak out; if blocks share their scope.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    private Scope(Scope parent) {
        this.parent = parent;
    }

    static Scope root(Map<String, Object> variables) {
        Scope scope = new Scope(null);
        scope.variables.putAll(variables);
        return scope;
    }

    Scope child() {
        return new Scope(this);
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.variables.containsKey(name)) {
                return s.variables.get(name);
            }
        }
        return Undefined.variable(name);
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
