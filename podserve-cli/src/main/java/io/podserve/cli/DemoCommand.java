package io.podserve.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.podserve.bench.BenchConfig;
import io.podserve.bench.BenchResult;
import io.podserve.bench.BenchRunner;
import io.podserve.bench.workload.DatasetSpec;
import io.podserve.cli.serve.ServeCommand;
import io.podserve.model.chat.ChatMessage;
import io.podserve.model.chat.ChatTemplate;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.checkpoint.ModelSummary;
import io.podserve.model.tokenizer.Tokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code podserve demo}: the whole system on the built-in model, for a newcomer: check the
 * checkpoint, show the chat template and tokenizer, start the OpenAI-compatible server, ask it a few
 * questions at once (continuous batching), run a short load test against it and print the table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show podserve working end to end on the built-in fortune-moe model (or --model DIR): the "
                + "checkpoint and tokenizer, then `podserve serve` started in-process, a few chat requests answered "
                + "concurrently over HTTP, and a short `podserve bench` run against it."})
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> QUESTIONS = List.of("Tell me a fortune.", "What does my future hold?",
            "Give me some advice for tomorrow.");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory (default: the built-in fortune-moe)")
    Path model;

    @Option(names = "--bench-prompts", defaultValue = "24", paramLabel = "N",
            description = "requests in the closing load test, 0 to skip it (default: ${DEFAULT-VALUE})")
    int benchPrompts;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = model != null ? model : Defaults.defaultModel();
        PrintWriter out = spec.commandLine().getOut();
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            var s = ModelSummary.of(ckpt.config(), ckpt.weights());
            out.printf("1. Checkpoint %s: %s, %s parameters (%s active per token), all %d tensors present with the "
                            + "shapes config.json implies.%n", dir, ckpt.config().architecture(),
                    Units.count(s.numParameters()), Units.count(s.numActiveParameters()), ckpt.weights().names().size());
        }
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(dir.resolve("tokenizer_config.json"));
        String rendered = template.render(List.of(new ChatMessage("user", QUESTIONS.getFirst())), true);
        Tokenizer tok = Tokenizer.load(Defaults.tokenizerFile(dir));
        int[] ids = tok.encode(rendered);
        boolean roundTrip = tok.decode(ids).equals(rendered);
        out.printf("%n2. A conversation through the chat template, %d tokens (decoded back: %s):%n%s%n", ids.length,
                roundTrip ? "identical" : "DIFFERENT", indent(rendered));
        out.flush();

        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--model", dir.toString(), "--port", "0", "--kv-cache-gb", "0.25");
        try (ServeCommand.Running running = serve.start(spec.commandLine().getErr())) {
            URI base = running.server().baseUri();
            String name = dir.toAbsolutePath().normalize().getFileName().toString();
            out.printf("%n3. `podserve serve` is up at %s (OpenAI API; %d CPU cores). %d questions sent at once to "
                    + "POST /v1/chat/completions:%n", base, Runtime.getRuntime().availableProcessors(), QUESTIONS.size());
            out.flush();
            askConcurrently(base, name, out);
            if (benchPrompts > 0) {
                out.printf("%n4. `podserve bench`: %d completions sent at once (32 prompt words, 32 tokens out each), "
                        + "streamed:%n", benchPrompts);
                out.flush();
                BenchResult r = BenchRunner.run(BenchConfig.builder(base.toString(), name)
                        .dataset(DatasetSpec.synthetic(32, 32)).numPrompts(benchPrompts)
                        .requestRate(Double.POSITIVE_INFINITY).seed(0).build());
                out.println(r.table());
            }
        }
        out.printf("%nNext: `podserve serve --model %s` and any OpenAI client; `podserve bench --help`; "
                + "`podserve generate --chat \"...\"`.%n", dir);
        out.flush();
        return roundTrip ? 0 : 1;
    }

    private static void askConcurrently(URI base, String modelName, PrintWriter out) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Future<String>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < QUESTIONS.size(); i++) {
                String question = QUESTIONS.get(i);
                long seed = i + 1;
                answers.add(pool.submit(() -> ask(http, base, modelName, question, seed)));
            }
        }
        for (int i = 0; i < QUESTIONS.size(); i++) {
            try {
                out.printf("   user: %s%n%s%n", QUESTIONS.get(i), indent(answers.get(i).get()));
            } catch (ExecutionException e) {
                throw new IllegalStateException("the demo's request failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        out.flush();
    }

    private static String ask(HttpClient http, URI base, String modelName, String question, long seed)
            throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", modelName).put("max_tokens", 120).put("seed", seed);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode reply = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        String text = reply.path("choices").path(0).path("message").path("content").asText().strip();
        return String.format(Locale.ROOT, "assistant: %s%n   [%d tokens in %.2f s, finish: %s]", text,
                reply.path("usage").path("completion_tokens").asInt(), seconds,
                reply.path("choices").path(0).path("finish_reason").asText());
    }

    private static String indent(String text) {
        return "   | " + text.replace("\n", "\n   | ");
    }
}
