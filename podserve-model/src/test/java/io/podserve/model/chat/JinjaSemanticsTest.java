package io.podserve.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * jinja2 behaviour real chat templates lean on, one readable case each. Every expected string
 * was checked against jinja2 3.1 in transformers' environment (trim_blocks, lstrip_blocks).
 */
class JinjaSemanticsTest {
    private static String render(String template) {
        return render(template, Map.of());
    }

    private static String render(String template, Map<String, Object> variables) {
        return ChatTemplate.of(template, Map.of()).render(List.of(), false, variables);
    }

    @Test
    void trimBlocksEatsTheNewlineAfterABlockTag() {
        assertEquals("yes\ndone", render("{% if true %}\nyes\n{% endif %}\ndone"));
    }

    @Test
    void lstripBlocksStripsTheIndentOfATagAloneOnItsLine() {
        assertEquals("<a>\n    x\n</a>", render("<a>\n    {% if true %}\n    x\n    {% endif %}\n</a>"));
    }

    @Test
    void lstripBlocksLeavesATagAfterTextAlone() {
        assertEquals("a  b  c", render("a  {% if true %}b{% endif %}  c"));
    }

    @Test
    void expressionsAreNotLstripped() {
        assertEquals("  v", render("  {{ 'v' }}\n"));
    }

    @Test
    void minusStripsAllWhitespaceOnItsSide() {
        assertEquals("abc", render("a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c"));
    }

    @Test
    void plusDisablesLstripAndTrim() {
        assertEquals("  \nx", render("  {%+ if true +%}\nx{% endif %}"));
    }

    @Test
    void commentsAreTrimmedAndLstrippedLikeBlocks() {
        assertEquals("a\nb", render("a\n  {# note #}\nb"));
    }

    @Test
    void oneTrailingNewlineOfTheTemplateIsDropped() {
        assertEquals("x\n", render("x\n\n"));
    }

    @Test
    void notBindsLooserThanComparisons() {
        assertEquals("True False", render("{{ not 1 == 2 }} {{ not 'a' in 'abc' }}"));
    }

    @Test
    void andOrReturnOperandsAndNonEmptyStringsAreTrue() {
        assertEquals("x d T", render("{{ 'false' and 'x' }} {{ '' or 'd' }} {% if '0' and 'False' %}T{% endif %}"));
    }

    @Test
    void equalityDoesNotCoerceStringsToNumbers() {
        assertEquals("False True True", render("{{ 1 == '1' }} {{ 1 == 1.0 }} {{ true == 1 }}"));
    }

    @Test
    void divisionFollowsPython() {
        assertEquals("-3 1 3.5 2.0", render("{{ -5 // 2 }} {{ -5 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }}"));
    }

    @Test
    void valuesPrintAsPythonPrintsThem() {
        assertEquals("None True [1, 'a', None] {'k': False} (1,) 1e+16",
                render("{{ none }} {{ true }} {{ [1, 'a', none] }} {{ {'k': false} }} {{ (1,) }} {{ 1e16 }}"));
    }

    @Test
    void slicesTakeStepsAndNegativeBounds() {
        assertEquals("[3, 2, 1] ell [2, 4]", render("{{ [1, 2, 3][::-1] }} {{ 'hello'[1:-1] }} {{ [1, 2, 3, 4][1::2] }}"));
    }

    @Test
    void stringMethodsFollowPython() {
        assertEquals("['a', ''] x yx ['a', 'b']",
                render("{{ 'a</think>'.split('</think>') }} {{ '\\n\\nx\\n'.strip('\\n') }} {{ 'xyx'.lstrip('x') }}"
                        + " {{ 'a.b'.split('.') }}"));
    }

    @Test
    void namespaceSurvivesTheLoopScopeButPlainSetDoesNot() {
        assertEquals("6 0", render("{% set ns = namespace(n=0) %}{% set m = 0 %}{% for i in [1, 2, 3] %}"
                + "{% set ns.n = ns.n + i %}{% set m = m + i %}{% endfor %}{{ ns.n }} {{ m }}"));
    }

    @Test
    void loopVariables() {
        assertEquals("0TrueFalse3 1FalseFalse2 2FalseTrue1 ",
                render("{% for x in 'abc' %}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.revindex }} {% endfor %}"));
    }

    @Test
    void forWithAnIfFilterCountsOnlyTheKeptItems() {
        Map<String, Object> variables = Map.of("messages",
                List.of(Map.of("role", "system"), Map.of("role", "user"), Map.of("role", "assistant")));
        assertEquals("1/2:user 2/2:assistant ", render("{% for m in messages if m.role != 'system' %}"
                + "{{ loop.index }}/{{ loop.length }}:{{ m.role }} {% endfor %}", variables));
    }

    @Test
    void breakAndContinue() {
        assertEquals("023", render("{% for i in range(6) %}{% if i == 1 %}{% continue %}{% elif i == 4 %}{% break %}"
                + "{% endif %}{{ i }}{% endfor %}"));
    }

    @Test
    void tests() {
        assertEquals("False True True True False True False", render("{{ x is defined }} {{ none is none }}"
                + " {{ 'a' is string }} {{ {} is mapping }} {{ [] is mapping }} {{ true is number }} {{ true is integer }}"));
    }

    @Test
    void tojsonKeepsNonAsciiInNestedToolDefinitions() {
        Map<String, Object> city = new LinkedHashMap<>();
        city.put("type", "string");
        city.put("enum", List.of("Zürich", "東京", "😀"));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("city", city);
        parameters.put("n", 1.5);
        parameters.put("ok", true);
        parameters.put("none", null);
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "météo");
        tool.put("parameters", parameters);

        assertEquals("{\"name\": \"météo\", \"parameters\": {\"city\": {\"type\": \"string\", \"enum\": "
                + "[\"Zürich\", \"東京\", \"😀\"]}, \"n\": 1.5, \"ok\": true, \"none\": null}}",
                render("{{ tool | tojson }}", Map.of("tool", tool)));
    }

    @Test
    void tojsonOptions() {
        assertEquals("{\n  \"a\": \"é\",\n  \"b\": [\n    1,\n    {}\n  ]\n}|\"\\u00e9\"|[1,2]",
                render("{{ {'b': [1, {}], 'a': 'é'} | tojson(indent=2, sort_keys=true) }}|"
                        + "{{ 'é' | tojson(ensure_ascii=true) }}|{{ [1, 2] | tojson(separators=(',', ':')) }}"));
    }

    @Test
    void itemsFilterAndDictMethods() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("b", 1);
        d.put("a", 2);
        assertEquals("b=1;a=2;ba-", render("{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %}"
                + "{% for k, v in d.items() %}{{ k }}{% endfor %}{{ d.get('z', '-') }}", Map.of("d", d)));
    }

    @Test
    void macrosWithDefaults() {
        assertEquals("<a></a><b>x</b>", render("{% macro tag(name, body='') %}<{{ name }}>{{ body }}</{{ name }}>"
                + "{% endmacro %}{{ tag('a') }}{{ tag('b', body='x') }}"));
    }

    @Test
    void stringLiteralsUnderstandPythonEscapes() {
        assertEquals("a\tbéA\\", render("{{ 'a\\tb\\u00e9\\x41\\\\' }}"));
    }
}
