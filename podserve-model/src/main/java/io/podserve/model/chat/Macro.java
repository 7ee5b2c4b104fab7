package io.podserve.model.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {% macro %} bound to the scope it was defined in; calling it renders its body to a string. */
final class Macro implements PyCallable {
    private final Node.Macro definition;
    private final Scope definedIn;

    Macro(Node.Macro definition, Scope definedIn) {
        this.definition = definition;
        this.definedIn = definedIn;
    }

    String name() {
        return definition.name();
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        List<String> parameters = definition.parameters();
        if (args.size() > parameters.size()) {
            throw new TemplateRuntimeError("macro '" + name() + "' takes not more than " + parameters.size()
                    + " argument(s)");
        }
        Scope scope = definedIn.child();
        Map<String, Object> remaining = new HashMap<>(kwargs);
        int firstDefault = parameters.size() - definition.defaults().size();
        for (int i = 0; i < parameters.size(); i++) {
            String parameter = parameters.get(i);
            Object value;
            if (i < args.size()) {
                value = args.get(i);
            } else if (remaining.containsKey(parameter)) {
                value = remaining.remove(parameter);
            } else if (i >= firstDefault) {
                value = Evaluator.eval(definition.defaults().get(i - firstDefault), scope);
            } else {
                value = Undefined.of("parameter '" + parameter + "' was not provided");
            }
            scope.set(parameter, value);
        }
        remaining.keySet().removeAll(parameters);
        if (!remaining.isEmpty()) {
            throw new TemplateRuntimeError("macro '" + name() + "' takes no keyword argument '"
                    + new ArrayList<>(remaining.keySet()).getFirst() + "'");
        }
        return Renderer.renderToString(definition.body(), scope);
    }
}
