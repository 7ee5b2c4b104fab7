package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code x.name} and {@code x[key]} as jinja2's immutable sandbox resolves them: attributes
 * (methods) first for dots, items first for brackets, each falling back to the other, and an
 * Undefined when neither exists. Methods that would modify a list or dict are refused.
 */
final class Attributes {
    private static final Set<String> DICT_METHODS =
            Set.of("clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values");
    private static final Set<String> LIST_METHODS =
            Set.of("append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort");
    private static final Set<String> MUTATORS =
            Set.of("clear", "pop", "popitem", "setdefault", "update", "append", "extend", "insert", "remove", "reverse", "sort");

    private Attributes() {}

    static Object getAttribute(Object target, String name) {
        if (target instanceof Undefined u) {
            throw u.failure();
        }
        if (name.startsWith("_")) {
            return Undefined.of("access to attribute '" + name + "' is unsafe");
        }
        Object method = method(target, name);
        if (method != null) {
            return method;
        }
        return switch (target) {
            case null -> Undefined.member(null, name);
            case Map<?, ?> m -> item(m, name);
            case Namespace n -> n.get(name);
            case LoopContext loop -> loop.attribute(name);
            default -> Undefined.member(target, name);
        };
    }

    static Object getItem(Object target, Object key) {
        Object value = switch (target) {
            case null -> PyValues.MISSING;
            case Undefined u -> throw u.failure();
            case Map<?, ?> m -> item(m, key);
            case List<?> l when PyValues.isInteger(key) -> PySequences.index(l, key);
            case PyTuple t when PyValues.isInteger(key) -> PySequences.index(t, key);
            case String s when PyValues.isInteger(key) -> PySequences.index(s, key);
            default -> PyValues.MISSING;
        };
        if (value != PyValues.MISSING && !(value instanceof Undefined)) {
            return value;
        }
        if (key instanceof String name && !(target instanceof Map<?, ?> m && !DICT_METHODS.contains(name))) {
            return getAttribute(target, name);
        }
        return Undefined.member(target, key);
    }

    private static Object item(Map<?, ?> map, Object key) {
        Object found = PyValues.findKey(map, key);
        return found == PyValues.MISSING ? Undefined.member(map, key) : map.get(found);
    }

    /** The bound method {@code target.name}, or null when the type has no such method. */
    private static Object method(Object target, String name) {
        if (target == null) {
            return null;
        }
        boolean exists = switch (target) {
            case String s -> PyStrings.METHOD_NAMES.contains(name);
            case Map<?, ?> m -> DICT_METHODS.contains(name);
            case List<?> l -> LIST_METHODS.contains(name);
            case PyTuple t -> name.equals("count") || name.equals("index");
            default -> false;
        };
        if (!exists) {
            return null;
        }
        if (MUTATORS.contains(name) && !(target instanceof String)) {
            return Undefined.of("access to attribute '" + name + "' of '" + PyValues.typeName(target)
                    + "' object is unsafe (templates may not modify their inputs)");
        }
        return (PyCallable) (args, kwargs) -> callMethod(target, name, CallArguments.of(args, kwargs));
    }

    private static Object callMethod(Object target, String name, CallArguments a) {
        return switch (target) {
            case String s -> PyStrings.call(s, name, a);
            case Map<?, ?> m -> callDictMethod(m, name, a);
            case List<?> l -> callSequenceMethod(l, name, a);
            case PyTuple t -> callSequenceMethod(t.items(), name, a);
            default -> throw new TemplateRuntimeError("'" + PyValues.typeName(target) + "' has no method " + name);
        };
    }

    private static Object callDictMethod(Map<?, ?> map, String name, CallArguments a) {
        return switch (name) {
            case "items" -> {
                List<Object> pairs = new ArrayList<>();
                map.forEach((k, v) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, v))));
                yield pairs;
            }
            case "keys" -> new ArrayList<Object>(map.keySet());
            case "values" -> new ArrayList<Object>(map.values());
            case "get" -> {
                Object found = PyValues.findKey(map, a.required(0, "key"));
                yield found == PyValues.MISSING ? a.optional(1, "default", null) : map.get(found);
            }
            case "copy" -> new LinkedHashMap<Object, Object>(map);
            default -> throw new TemplateRuntimeError("dict." + name + "() is not supported in chat templates");
        };
    }

    private static Object callSequenceMethod(List<?> items, String name, CallArguments a) {
        if (name.equals("copy")) {
            return new ArrayList<Object>(items);
        }
        Object wanted = a.required(0, "value");
        return switch (name) {
            case "count" -> items.stream().filter(x -> PyValues.pyEquals(x, wanted)).count();
            case "index" -> {
                for (int i = 0; i < items.size(); i++) {
                    if (PyValues.pyEquals(items.get(i), wanted)) {
                        yield (long) i;
                    }
                }
                throw new TemplateRuntimeError(PyRepr.repr(wanted) + " is not in list");
            }
            default -> throw new TemplateRuntimeError("list." + name + "() is not supported in chat templates");
        };
    }
}
