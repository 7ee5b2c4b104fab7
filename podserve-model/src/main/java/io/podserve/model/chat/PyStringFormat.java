package io.podserve.model.chat;

/**
 * str.format() for plain replacement fields: "{}", "{0}", "{name}", with optional "!r" or "!s".
 * NOTE: format specs ("{:>10}") are refused rather than guessed; no known chat template uses them.
 */
final class PyStringFormat {
    private PyStringFormat() {}

    static String format(String pattern, CallArguments args) {
        StringBuilder out = new StringBuilder();
        int autoIndex = 0;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < pattern.length() && pattern.charAt(i + 1) == c) {
                out.append(c);
                i += 2;
            } else if (c == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw new TemplateRuntimeError("Single '{' encountered in format string");
                }
                String field = pattern.substring(i + 1, close);
                if (field.isEmpty() || field.startsWith("!")) {
                    field = autoIndex++ + field;
                }
                out.append(renderField(field, args));
                i = close + 1;
            } else if (c == '}') {
                throw new TemplateRuntimeError("Single '}' encountered in format string");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String renderField(String field, CallArguments args) {
        if (field.contains(":") || field.contains(".") || field.contains("[")) {
            throw new TemplateRuntimeError("str.format() fields with specs, attributes or indexes are not supported: {"
                    + field + "}");
        }
        String conversion = "s";
        int bang = field.indexOf('!');
        if (bang >= 0) {
            conversion = field.substring(bang + 1);
            field = field.substring(0, bang);
        }
        Object value = field.chars().allMatch(Character::isDigit)
                ? args.required(Integer.parseInt(field), field)
                : args.required(-1, field);
        return switch (conversion) {
            case "s" -> PyRepr.str(value);
            case "r" -> PyRepr.repr(value);
            default -> throw new TemplateRuntimeError("unknown conversion specifier " + conversion);
        };
    }
}
