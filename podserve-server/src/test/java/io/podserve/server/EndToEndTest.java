package io.podserve.server;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import io.podserve.engine.EngineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server over the real engine on fortune-moe: 16 concurrent greedy requests through HTTP get
 * exactly the tokens each gets alone, also when their prompts hit the prefix cache and when a tiny
 * KV cache forces preemption. Token ids come back through vLLM's return_tokens_as_token_ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class EndToEndTest {
    private static final int NUM_REQUESTS = 16;
    private static final int MAX_TOKENS = 20;
    private FortuneServer fortune;
    private List<String> prompts;
    private List<Answer> alone;

    /** What one request produced: token ids, text, finish reason, cached prompt tokens. */
    record Answer(List<String> tokens, String text, String finishReason, long cachedTokens) {
        boolean sameOutput(Answer o) {
            return tokens.equals(o.tokens) && text.equals(o.text) && finishReason.equals(o.finishReason);
        }
    }

    @BeforeAll
    void baseline() {
        fortune = new FortuneServer(256, EngineConfig.DEFAULTS.withPrefixCaching(false));
        prompts = new ArrayList<>();
        String[] words = {"fortune", "luck", "tomorrow", "friend", "journey", "river", "smile", "door", "gold"};
        for (int i = 0; i < NUM_REQUESTS; i++) {
            StringBuilder sb = new StringBuilder("<|im_start|>user\nTell me about");
            for (int w = 0; w < 2 + 3 * i; w++) {
                sb.append(' ').append(words[Math.floorMod(i * 7 + w * 3 + w * w * i, words.length)]);
            }
            prompts.add(sb.append(".<|im_end|>\n<|im_start|>assistant\n").toString());
        }
        OpenAIClient client = Http.sdk(fortune.server, "none");
        alone = new ArrayList<>();
        for (String p : prompts) {
            alone.add(ask(client, p));
        }
    }

    @AfterAll
    void close() {
        if (fortune != null) {
            fortune.close();
        }
    }

    private static Answer ask(OpenAIClient client, String prompt) {
        Completion c = client.completions().create(CompletionCreateParams.builder().model(TestModels.NAME)
                .prompt(prompt).maxTokens(MAX_TOKENS).temperature(0.0).logprobs(0)
                .putAdditionalBodyProperty("return_tokens_as_token_ids", JsonValue.from(true)).build());
        var choice = c.choices().getFirst();
        List<String> tokens = choice.logprobs().orElseThrow().tokens().orElseThrow();
        long cached = c.usage().orElseThrow().promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L);
        return new Answer(tokens, choice.text(), choice.finishReason().asString(), cached);
    }

    private List<Answer> concurrently(PodServer server) throws InterruptedException, ExecutionException {
        OpenAIClient client = Http.sdk(server, "none");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> futures = new ArrayList<>();
            for (String p : prompts) {
                futures.add(pool.submit(() -> ask(client, p)));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : futures) {
                answers.add(f.get());
            }
            return answers;
        }
    }

    private void assertSameAsAlone(List<Answer> answers) {
        for (int i = 0; i < answers.size(); i++) {
            assertTrue(alone.get(i).sameOutput(answers.get(i)),
                    "request " + i + ": alone " + alone.get(i) + ", concurrent " + answers.get(i));
        }
    }

    @Test
    void concurrentRequestsGetWhatEachGetsAlone() throws Exception {
        assertEquals(MAX_TOKENS, alone.stream().mapToInt(a -> a.tokens().size()).max().orElseThrow());
        assertSameAsAlone(concurrently(fortune.server));
    }

    @Test
    void stopStringCutsTheGreedyOutputWhereItBegins() {
        Answer full = alone.getFirst();
        String text = full.text();
        String stop = text.substring(text.length() / 2, text.length() / 2 + 3);
        int cut = text.indexOf(stop);
        Completion c = Http.sdk(fortune.server, "none").completions().create(CompletionCreateParams.builder()
                .model(TestModels.NAME).prompt(prompts.getFirst()).maxTokens(MAX_TOKENS).temperature(0.0).stop(stop)
                .build());
        assertEquals(text.substring(0, cut), c.choices().getFirst().text(), "stop string " + stop);
        assertEquals("stop", c.choices().getFirst().finishReason().asString());
    }

    @Test
    void streamedTextEqualsTheWholeResponse() {
        CompletionCreateParams params = CompletionCreateParams.builder().model(TestModels.NAME)
                .prompt(prompts.get(3)).maxTokens(MAX_TOKENS).temperature(0.0).build();
        StringBuilder text = new StringBuilder();
        try (var stream = Http.sdk(fortune.server, "none").completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> text.append(ch.text())));
        }
        assertEquals(alone.get(3).text(), text.toString());
    }

    @Test
    void prefixCacheHitsKeepTheOutputs() throws Exception {
        try (FortuneServer cached = new FortuneServer(256, EngineConfig.DEFAULTS)) {
            concurrently(cached.server);
            List<Answer> again = concurrently(cached.server);
            assertSameAsAlone(again);
            assertTrue(again.stream().anyMatch(a -> a.cachedTokens() > 0), "the second round hit the prefix cache");
        }
    }

    @Test
    void preemptionKeepsTheOutputs() throws Exception {
        try (FortuneServer tiny = new FortuneServer(12, EngineConfig.DEFAULTS)) { // 192 tokens of KV for all 16
            assertSameAsAlone(concurrently(tiny.server));
            String metrics = Http.get(tiny.server, "/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("podserve:num_preemptions_total ")
                    && Double.parseDouble(l.substring(l.indexOf(' ') + 1)) > 0), "the KV cache forced preemption");
        }
    }
}
