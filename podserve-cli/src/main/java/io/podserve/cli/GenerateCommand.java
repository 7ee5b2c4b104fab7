package io.podserve.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.kernels.sampling.Sampler;
import io.podserve.kernels.sampling.SamplingParams;
import io.podserve.model.chat.ChatMessage;
import io.podserve.model.chat.ChatTemplate;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.config.GenerationConfig;
import io.podserve.model.tokenizer.StreamingDecoder;
import io.podserve.model.tokenizer.Tokenizer;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code podserve generate}: one prompt, streamed continuation, on the collocated CPU model. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a continuation of one prompt and stream its text as it is decoded. Ctrl-C stops "
                + "after the current step and prints what was generated.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory (default: the built-in fortune-moe)")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "the prompt text (tokenized with special tokens)")
        String text;

        @Option(names = "--prompt-ids", split = ",", paramLabel = "ID,ID,...", description = "the prompt as token ids")
        int[] ids;

        @Option(names = "--chat", paramLabel = "TEXT",
                description = "a user message, rendered through the model's chat template with the generation prompt")
        String chat;
    }

    @Option(names = "--max-tokens", defaultValue = "64", paramLabel = "N", description = "tokens to generate at most (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T",
            description = "0 is greedy (default: generation_config.json's, greedy when it does not sample)")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "nucleus sampling mass (default: generation_config.json's or 1)")
    Double topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "keep the K most likely tokens (0: off)")
    int topK;

    @Option(names = "--seed", paramLabel = "S", description = "seed for reproducible sampling")
    Long seed;

    @Mixin
    QuantizationOption quantization;

    @Option(names = "--json", description = "print one JSON object with the generated ids and text instead of streaming")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = model != null ? model : Defaults.defaultModel();
        // NOTE: without a tokenizer (the HF fixtures ship none) --prompt-ids still works and ids are printed.
        Tokenizer tok = prompt.ids != null && !Defaults.hasTokenizer(dir) ? null : Tokenizer.load(Defaults.tokenizerFile(dir));
        int[] promptIds = promptIds(dir, tok);
        try (Checkpoint ckpt = Checkpoint.open(dir);
             CpuBackend backend = CpuBackend.create();
             Model m = Model.load(ckpt, backend, options(promptIds.length))) {
            return generate(m, tok, GenerationConfig.load(dir, ckpt.config()), promptIds);
        }
    }

    private int generate(Model m, Tokenizer tok, GenerationConfig gen, int[] promptIds) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        StreamingDecoder decoder = tok == null ? null : tok.streamingDecoder(true);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: the hook asks the loop to stop after its step and waits until the output is flushed.
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Generation g = Generation.run(m, promptIds, new Sampler(samplingParams(gen)), Set.copyOf(gen.eosTokenIds()),
                    maxTokens, stop::get, next -> {
                        if (!json) {
                            out.print(decoder == null ? next + " " : decoder.next(next));
                            out.flush();
                        }
                    });
            report(out, tok, decoder, promptIds, g);
        } finally {
            done.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    private void report(PrintWriter out, Tokenizer tok, StreamingDecoder decoder, int[] promptIds, Generation g) {
        List<Integer> ids = g.ids();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.putArray("prompt_ids").addAll(java.util.Arrays.stream(promptIds).mapToObj(i -> o.numberNode(i)).toList());
            o.putArray("ids").addAll(ids.stream().map(o::numberNode).toList());
            o.put("text", tok == null ? null : tok.decode(g.idArray(), true));
            o.put("finish_reason", g.finishReason());
            out.println(o.toString());
        } else {
            out.println(decoder == null ? "" : decoder.flush());
        }
        out.flush();
        spec.commandLine().getErr().printf("[%d prompt tokens, %d generated in %.2f s, finish: %s]%n",
                promptIds.length, ids.size(), g.seconds(), g.finishReason());
        spec.commandLine().getErr().flush();
    }

    private int[] promptIds(Path dir, Tokenizer tok) {
        if (prompt.ids != null) {
            return prompt.ids;
        }
        if (prompt.chat != null) {
            ChatTemplate template = ChatTemplate.fromTokenizerConfig(dir.resolve("tokenizer_config.json"));
            return tok.encode(template.render(List.of(new ChatMessage("user", prompt.chat)), true));
        }
        return tok.encode(prompt.text, true);
    }

    private ModelOptions options(int promptLength) {
        int blockSize = ModelOptions.DEFAULTS.blockSize();
        int pages = Math.ceilDiv(promptLength + maxTokens + 1, blockSize) + 1;
        return new ModelOptions(blockSize, pages, quantization.q8());
    }

    private SamplingParams samplingParams(GenerationConfig gen) {
        double t = temperature != null ? temperature : gen.doSample() ? gen.temperature() : 0.0;
        double p = topP != null ? topP : gen.doSample() ? gen.topP() : 1.0;
        OptionalLong s = seed != null ? OptionalLong.of(seed) : OptionalLong.empty();
        return new SamplingParams(t, topK, p, 0.0, s, 0);
    }
}
