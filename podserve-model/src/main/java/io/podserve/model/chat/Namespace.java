package io.podserve.model.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/** jinja2's namespace(): the one object whose attributes {% set ns.x = ... %} may change. */
final class Namespace {
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    static Object create(java.util.List<Object> args, Map<String, Object> kwargs) {
        Namespace ns = new Namespace();
        for (Object arg : args) {
            if (!(arg instanceof Map<?, ?> map)) {
                throw new TemplateRuntimeError("namespace() takes a mapping or keyword arguments");
            }
            map.forEach((k, v) -> ns.attributes.put(PyRepr.str(k), v));
        }
        ns.attributes.putAll(kwargs);
        return ns;
    }

    Object get(String name) {
        return attributes.containsKey(name) ? attributes.get(name) : Undefined.member(this, name);
    }

    void set(String name, Object value) {
        attributes.put(name, value);
    }

    Map<String, Object> attributes() {
        return attributes;
    }
}
