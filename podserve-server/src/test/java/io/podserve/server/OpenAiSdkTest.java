package io.podserve.server;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP layer driven by the official OpenAI Java SDK, over a model-free engine that echoes the prompt. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class OpenAiSdkTest {
    private static final String KEY = "sk-test-key";
    private FakeEngine engine;
    private PodServer server;
    private OpenAIClient client;

    @BeforeAll
    void start() {
        var model = TestModels.fortuneFrontEnd();
        engine = new FakeEngine(model.tokenizer(), 256, 64, Duration.ofMillis(1));
        server = PodServer.start(engine, model, ServerConfig.onPort(0).withApiKey(KEY));
        client = Http.sdk(server, KEY);
    }

    @AfterAll
    void stop() {
        server.stop();
    }

    private static ChatCompletionCreateParams.Builder chat(String user, long maxTokens) {
        return ChatCompletionCreateParams.builder().model(TestModels.NAME).addUserMessage(user)
                .maxCompletionTokens(maxTokens).temperature(0.0);
    }

    @Test
    void chatCompletionReportsTextAndUsage() {
        ChatCompletion c = client.chat().completions().create(chat("Tell me a fortune", 6).build());
        var choice = c.choices().getFirst();
        assertEquals("length", choice.finishReason().asString());
        assertFalse(choice.message().content().orElseThrow().isEmpty());
        var usage = c.usage().orElseThrow();
        assertEquals(6, usage.completionTokens());
        assertTrue(usage.promptTokens() > 4, "the template adds role markers around the message");
        assertEquals(usage.promptTokens() + 6, usage.totalTokens());
        assertTrue(c.id().startsWith("chatcmpl-"));
        assertEquals(TestModels.NAME, c.model());
    }

    @Test
    void streamedChatEqualsTheWholeResponse() {
        String whole = client.chat().completions().create(chat("Tell me a fortune", 8).build())
                .choices().getFirst().message().content().orElseThrow();
        ChatCompletionCreateParams params = chat("Tell me a fortune", 8)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        assertEquals("assistant", chunks.getFirst().choices().getFirst().delta().role().orElseThrow().asString());
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (ChatCompletionChunk c : chunks) {
            for (var choice : c.choices()) {
                choice.delta().content().ifPresent(text::append);
                if (choice.finishReason().isPresent()) {
                    finish = choice.finishReason().get().asString();
                }
            }
        }
        assertEquals(whole, text.toString());
        assertEquals("length", finish);
        ChatCompletionChunk last = chunks.getLast();
        assertTrue(last.choices().isEmpty(), "with include_usage the last chunk has no choices");
        assertEquals(8, last.usage().orElseThrow().completionTokens());
    }

    @Test
    void textCompletionStreamedAndNot() {
        CompletionCreateParams params = CompletionCreateParams.builder().model(TestModels.NAME)
                .prompt("The fortune says").maxTokens(5).temperature(0.0).build();
        Completion whole = client.completions().create(params);
        assertTrue(whole.id().startsWith("cmpl-"));
        assertEquals(5, whole.usage().orElseThrow().completionTokens());
        StringBuilder text = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            stream.stream().forEach(c -> c.choices().forEach(ch -> text.append(ch.text())));
        }
        assertEquals(whole.choices().getFirst().text(), text.toString());
        assertTrue(text.toString().startsWith("The fortune"), "the fake engine echoes the prompt: " + text);
    }

    @Test
    void stopStringEndsTheOutputWithoutIt() {
        CompletionCreateParams params = CompletionCreateParams.builder().model(TestModels.NAME)
                .prompt("one two three four five").maxTokens(20).stop(" three").build();
        Completion c = client.completions().create(params);
        assertEquals("one two", c.choices().getFirst().text());
        assertEquals("stop", c.choices().getFirst().finishReason().asString());
    }

    @Test
    void maxTokensBoundsTheOutput() {
        for (int n : new int[] {1, 3}) {
            ChatCompletion c = client.chat().completions().create(chat("Tell me a fortune", n).build());
            assertEquals(n, c.usage().orElseThrow().completionTokens());
        }
    }

    @Test
    void logprobsCarryTheChosenTokenAndAlternatives() {
        ChatCompletion c = client.chat().completions().create(chat("fortune", 3).logprobs(true).topLogprobs(2).build());
        var content = c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow();
        assertEquals(3, content.size());
        assertEquals(2, content.getFirst().topLogprobs().size());
    }

    @Test
    void listsTheServedModel() {
        List<Model> models = new ArrayList<>();
        client.models().list().autoPager().forEach(models::add);
        assertEquals(List.of(TestModels.NAME), models.stream().map(Model::id).toList());
        assertEquals(TestModels.NAME, client.models().retrieve(TestModels.NAME).id());
        assertThrows(NotFoundException.class, () -> client.models().retrieve("gpt-9"));
    }

    @Test
    void unknownModelIs404() {
        var e = assertThrows(NotFoundException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-9").addUserMessage("hi").build()));
        assertTrue(e.getMessage().contains("gpt-9"), e.getMessage());
        assertEquals("model_not_found", e.code().orElseThrow());
    }

    @Test
    void missingOrWrongApiKeyIs401() {
        var model = TestModels.fortuneFrontEnd();
        var other = new FakeEngine(model.tokenizer(), 256, 4, Duration.ZERO);
        try (PodServer open = PodServer.start(other, model, ServerConfig.onPort(0))) {
            assertEquals(200, Http.get(open, "/v1/models").statusCode(), "no key configured: no check");
        }
        assertEquals(401, Http.get(server, "/v1/models").statusCode());
        var e = assertThrows(UnauthorizedException.class, () -> Http.sdk(server, "sk-wrong").models().list());
        assertTrue(e.getMessage().contains("incorrect API key"), e.getMessage());
        assertEquals(200, Http.get(server, "/health").statusCode(), "health stays open for probes");
    }

    @Test
    void badRequestsAre400NamingTheField() {
        assertBadRequest("temperature", () -> client.chat().completions().create(chat("hi", 4).temperature(7.0).build()));
        assertBadRequest("top_p", () -> client.chat().completions().create(chat("hi", 4).topP(0.0).build()));
        assertBadRequest("max_completion_tokens",
                () -> client.chat().completions().create(chat("hi", 0).build()));
        assertBadRequest("max_completion_tokens",
                () -> client.chat().completions().create(chat("hi", 100_000).build()));
        assertBadRequest("top_logprobs",
                () -> client.chat().completions().create(chat("hi", 4).logprobs(true).topLogprobs(99).build()));
        assertBadRequest("n", () -> client.chat().completions().create(chat("hi", 4).n(3).build()));
        assertBadRequest("stop", () -> client.completions().create(CompletionCreateParams.builder()
                .model(TestModels.NAME).prompt("x").stopOfStrings(List.of("a", "b", "c", "d", "e")).build()));
    }

    private static void assertBadRequest(String field, Executable call) {
        BadRequestException e = assertThrows(BadRequestException.class, call);
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
        assertEquals(field, e.param().orElseThrow());
    }

    @Test
    void contextOverflowIsOpenAisContextLengthError() {
        OpenAIServiceException e = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(chat("hi", 1000).build()));
        assertEquals("context_length_exceeded", e.code().orElseThrow());
    }
}
