package io.podserve.model.chat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The functions a chat template can call: jinja2's globals plus transformers' two additions. */
final class Globals {
    /** jinja2's sandbox refuses ranges longer than this. */
    private static final long MAX_RANGE = 100_000;

    private Globals() {}

    static Map<String, Object> create(Clock clock) {
        Map<String, Object> globals = new LinkedHashMap<>();
        globals.put("range", (PyCallable) Globals::range);
        globals.put("namespace", (PyCallable) Namespace::create);
        globals.put("dict", (PyCallable) Globals::dict);
        globals.put("raise_exception", (PyCallable) Globals::raiseException);
        globals.put("strftime_now", (PyCallable) (args, kwargs) ->
                Strftime.format(CallArguments.of(args, kwargs).string(0, "format"), clock));
        return globals;
    }

    private static Object raiseException(List<Object> args, Map<String, Object> kwargs) {
        throw new TemplateRuntimeError.Raised(PyRepr.str(CallArguments.of(args, kwargs).required(0, "message")));
    }

    private static Object dict(List<Object> args, Map<String, Object> kwargs) {
        Map<Object, Object> result = new LinkedHashMap<>();
        if (!args.isEmpty()) {
            if (!(args.getFirst() instanceof Map<?, ?> source)) {
                throw new TemplateRuntimeError("dict() accepts a mapping and keyword arguments only");
            }
            result.putAll(source);
        }
        result.putAll(kwargs);
        return result;
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty() || args.size() > 3) {
            throw new TemplateRuntimeError("range expected 1 to 3 arguments, got " + args.size());
        }
        long start = args.size() == 1 ? 0 : PyValues.toLong(args.get(0));
        long stop = PyValues.toLong(args.get(args.size() == 1 ? 0 : 1));
        long step = args.size() == 3 ? PyValues.toLong(args.get(2)) : 1;
        if (step == 0) {
            throw new TemplateRuntimeError("range() arg 3 must not be zero");
        }
        List<Object> values = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (values.size() >= MAX_RANGE) {
                throw new TemplateRuntimeError("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
            }
            values.add(i);
        }
        return values;
    }
}
