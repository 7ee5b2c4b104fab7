package io.podserve.model.chat;

/**
 * jinja2's default Undefined: what a missing variable, key or attribute evaluates to. It prints as
 * nothing, is false, iterates as empty, and fails when used as a number, container or object.
 */
final class Undefined {
    private final String hint;

    private Undefined(String hint) {
        this.hint = hint;
    }

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined member(Object owner, Object key) {
        String what = key instanceof String s ? "attribute '" + s + "'" : "element " + PyRepr.repr(key);
        return new Undefined("'" + PyValues.typeName(owner) + " object' has no " + what);
    }

    static Undefined of(String hint) {
        return new Undefined(hint);
    }

    /** The error jinja2 raises when an undefined value is used where a real one is needed. */
    TemplateRuntimeError failure() {
        return new TemplateRuntimeError(hint);
    }

    @Override
    public String toString() {
        return "";
    }
}
