package io.podserve.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real models' templates against renders made with transformers (and, for Qwen3 extras, jinja2). */
class ChatTemplateFixturesTest {
    static Stream<Arguments> transformersRenders() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : List.of("qwen3", "deepseek_v3")) {
            JsonNode expected = ChatTestData.readJson(ChatTestData.testdata("tokenizers", model, "chat_expected.json"));
            for (int i = 0; i < expected.size(); i++) {
                cases.add(Arguments.of(model, i, expected.get(i)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("transformersRenders")
    void rendersLikeTransformers(String model, int index, JsonNode entry) {
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(ChatTestData.tokenizerConfig(model));
        List<ChatMessage> messages = ChatMessage.listFromJson(entry.get("messages").toString());

        String rendered = template.render(messages, entry.get("add_generation_prompt").booleanValue());

        assertEquals(entry.get("rendered").textValue(), rendered);
    }

    static Stream<Arguments> qwen3Scenarios() {
        JsonNode cases = ChatTestData.resource("qwen3_cases.json");
        List<Arguments> arguments = new ArrayList<>();
        cases.forEach(c -> arguments.add(Arguments.of(c.get("name").textValue(), c)));
        return arguments.stream();
    }

    /** Conversations the transformers fixtures leave out: thinking, tools, tool results. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("qwen3Scenarios")
    void rendersQwen3ConversationsLikeJinja2(String name, JsonNode scenario) {
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(ChatTestData.tokenizerConfig("qwen3"));
        Map<String, Object> variables = ChatTestData.variables(scenario.get("variables"));
        List<ChatMessage> messages = ChatMessage.listFromJson(scenario.get("variables").get("messages").toString());
        variables.remove("messages");
        boolean addGenerationPrompt = (Boolean) variables.remove("add_generation_prompt");

        String rendered = template.render(messages, addGenerationPrompt, variables);

        assertEquals(scenario.get("expected").textValue(), rendered);
    }

    @Test
    void rendersFortuneMoeChatMl() {
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(ChatTestData.models("fortune-moe", "tokenizer_config.json"));
        List<ChatMessage> messages = List.of(new ChatMessage("system", "Be wise."), new ChatMessage("user", "Fortune?"));

        assertEquals("<|im_start|>system\nBe wise.<|im_end|>\n<|im_start|>user\nFortune?<|im_end|>\n",
                template.render(messages, false));
        assertEquals("<|im_start|>system\nBe wise.<|im_end|>\n<|im_start|>user\nFortune?<|im_end|>\n"
                + "<|im_start|>assistant\n", template.render(messages, true));
    }

    @Test
    void rendersFortuneMoeWithNoMessages() {
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(ChatTestData.models("fortune-moe", "tokenizer_config.json"));

        assertEquals("", template.render(List.of(), false));
        assertEquals("<|im_start|>assistant\n", template.render(List.of(), true));
    }

    @Test
    void passesDeepSeekBosTokenFromAnAddedTokenObject() {
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(ChatTestData.tokenizerConfig("deepseek_v3"));

        String rendered = template.render(List.of(new ChatMessage("user", "x")), false);

        assertEquals("<｜begin▁of▁sentence｜><｜User｜>x", rendered);
    }
}
