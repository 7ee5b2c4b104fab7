package io.podserve.model.chat;

import java.util.List;
import java.util.Map;

/** Something a template can call: a macro, a global such as namespace(), or a bound method. */
@FunctionalInterface
interface PyCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);
}
