package io.podserve.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.podserve.engine.api.EngineClient;
import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.GenerationHandle;
import io.podserve.engine.api.GenerationRequest;
import io.podserve.engine.api.SamplingOptions;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.config.GenerationConfig;
import io.podserve.model.tokenizer.Tokenizer;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The repository's fortune-moe model loaded for engine tests, and helpers to drive an engine. */
final class FortuneModel implements AutoCloseable {
    final Checkpoint checkpoint;
    final CpuBackend backend;
    final Model model;
    final Tokenizer tokenizer;
    final Set<Integer> eos;

    FortuneModel(int numKvPages) {
        String root = System.getProperty("podserve.models");
        assumeTrue(root != null, "podserve.models is not set");
        Path dir = Path.of(root, "fortune-moe");
        assumeTrue(Files.isDirectory(dir), dir + " is missing");
        checkpoint = Checkpoint.open(dir);
        backend = CpuBackend.create();
        model = Model.load(checkpoint, backend, new ModelOptions(16, numKvPages, false));
        tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
        eos = Set.copyOf(GenerationConfig.load(dir, checkpoint.config()).eosTokenIds());
    }

    LlmEngine start(EngineConfig config) {
        return LlmEngine.start(model, tokenizer, eos, config);
    }

    /** A prompt of roughly {@code words} words, different per {@code seed}. */
    int[] prompt(int seed, int words) {
        String[] vocab = {"fortune", "luck", "tomorrow", "friend", "journey", "river", "smile", "door", "gold",
                "patience", "rain", "star", "garden", "letter", "song"};
        StringBuilder sb = new StringBuilder("Tell me about");
        for (int i = 0; i < words; i++) {
            sb.append(' ').append(vocab[Math.floorMod(seed * 7 + i * 3 + i * i * seed, vocab.length)]);
        }
        // The model was trained on chat-formatted text (its tokenizer_config's template).
        return tokenizer.encode("<|im_start|>user\n" + sb.append('.') + "<|im_end|>\n<|im_start|>assistant\n");
    }

    /** Reads a stream to its end: the output text, the token ids and the final event. */
    static Result drain(GenerationHandle h) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        while (true) {
            GenerationEvent e = h.poll(60, java.util.concurrent.TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("request " + h.id() + " produced nothing for 60 s");
            }
            switch (e) {
                case GenerationEvent.Delta d -> {
                    text.append(d.text());
                    d.tokens().forEach(t -> ids.add(t.token()));
                }
                case GenerationEvent.Finished f -> {
                    return new Result(text.toString(), ids, f, null);
                }
                case GenerationEvent.Failed f -> {
                    return new Result(text.toString(), ids, null, f.message());
                }
            }
        }
    }

    static Result generate(EngineClient engine, int[] prompt, SamplingOptions o) throws InterruptedException {
        return drain(engine.submit(new GenerationRequest("r", prompt, o)));
    }

    /** Waits until the engine's stats show no request and no KV block in use (stats lag events a little). */
    static io.podserve.engine.api.EngineStats awaitIdle(EngineClient engine) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var s = engine.stats();
            if (s.numRunning() == 0 && s.numWaiting() == 0 && s.kvCacheUsage() == 0) {
                return s;
            }
            Thread.sleep(10);
        }
        return engine.stats();
    }

    record Result(String text, java.util.List<Integer> ids, GenerationEvent.Finished finished, String failure) {
    }

    @Override
    public void close() {
        model.close();
        backend.close();
        checkpoint.close();
    }
}
