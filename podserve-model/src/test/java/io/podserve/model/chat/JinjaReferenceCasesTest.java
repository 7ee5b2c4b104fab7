package io.podserve.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.podserve.model.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A broad sweep of jinja2 behaviour (whitespace control, operators, filters, tests, Python string
 * methods, repr of values, tojson) whose expected output was produced by jinja2 itself, in
 * transformers' environment, by src/test/python/render_chat_reference.py.
 */
class JinjaReferenceCasesTest {
    static Stream<Arguments> cases() {
        JsonNode cases = ChatTestData.resource("jinja_cases.json");
        List<Arguments> arguments = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            arguments.add(Arguments.of(i, cases.get(i).get("template").textValue(), cases.get(i)));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "#{0}: {1}")
    @MethodSource("cases")
    void rendersAsJinja2Does(int index, String source, JsonNode reference) {
        ChatTemplate template = ChatTemplate.of(source, Map.of());
        Map<String, Object> variables = ChatTestData.variables(reference.get("variables"));

        if (reference.has("error")) {
            assertThrows(ModelFormatException.class, () -> template.render(List.of(), false, variables),
                    "jinja2 raised " + reference.get("error").textValue());
        } else {
            assertEquals(reference.get("expected").textValue(), template.render(List.of(), false, variables));
        }
    }
}
