package io.podserve.cli;

import io.podserve.model.chat.ChatMessage;
import io.podserve.model.chat.ChatTemplate;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.checkpoint.ModelSummary;
import io.podserve.model.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.kernels.sampling.Sampler;
import io.podserve.kernels.sampling.SamplingParams;
import io.podserve.model.config.GenerationConfig;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code podserve demo}: the whole system on the built-in model, for a newcomer: open and check the
 * checkpoint, render a conversation through the chat template, tokenize it, and let the model
 * answer with the collocated CPU units. Serving joins when the engine and server land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show podserve working end to end on the built-in fortune-moe model (or --model DIR).")
final class DemoCommand implements Callable<Integer> {
    private static final int MAX_TOKENS = 120;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory (default: the built-in fortune-moe)")
    Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "Tell me a fortune.",
            description = "the user's message (default: ${DEFAULT-VALUE})")
    String prompt;

    @Option(names = "--answers", defaultValue = "3", paramLabel = "N",
            description = "how many sampled answers to show (default: ${DEFAULT-VALUE})")
    int numAnswers;

    @Override
    public Integer call() {
        Path dir = model != null ? model : Defaults.defaultModel();
        PrintWriter out = spec.commandLine().getOut();
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            var s = ModelSummary.of(ckpt.config(), ckpt.weights());
            out.printf("1. Checkpoint %s: %s, %s parameters (%s active per token), all %d tensors present with the "
                            + "shapes config.json implies.%n", dir, ckpt.config().architecture(),
                    Units.count(s.numParameters()), Units.count(s.numActiveParameters()), ckpt.weights().names().size());
        }
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(dir.resolve("tokenizer_config.json"));
        String rendered = template.render(List.of(new ChatMessage("user", prompt)), true);
        out.printf("%n2. The conversation [user: \"%s\"] through the chat template:%n%s%n", prompt, indent(rendered));
        Tokenizer tok = Tokenizer.load(Defaults.tokenizerFile(dir));
        int[] ids = tok.encode(rendered);
        out.printf("%n3. Tokenized: %d tokens%n", ids.length);
        for (int id : ids) {
            out.printf("   %5d  %s%n", id, tok.idToToken(id));
        }
        String decoded = tok.decode(ids);
        out.printf("%n4. Decoded back: %s%n", decoded.equals(rendered) ? "identical to the prompt" : "DIFFERENT: " + decoded);
        out.printf("%n5. The model answers (%s on the CPU units, %d cores; sampled as generation_config.json says):%n",
                dir.getFileName(), Runtime.getRuntime().availableProcessors());
        answer(dir, tok, ids, out);
        out.printf("Next: `podserve generate --chat \"...\"` asks your own question; `podserve inspect --model %s "
                + "--tensors` lists every tensor.%n", dir);
        out.flush();
        return decoded.equals(rendered) ? 0 : 1;
    }

    private void answer(Path dir, Tokenizer tok, int[] prompt, PrintWriter out) {
        try (Checkpoint ckpt = Checkpoint.open(dir);
             CpuBackend backend = CpuBackend.create();
             Model m = Model.load(ckpt, backend, new ModelOptions(16, Math.ceilDiv(prompt.length + MAX_TOKENS, 16) + 1, false))) {
            GenerationConfig gen = GenerationConfig.load(dir, ckpt.config());
            for (long seed = 1; seed <= numAnswers; seed++) {
                Sampler sampler = new Sampler(new SamplingParams(gen.doSample() ? gen.temperature() : 0, gen.topK(),
                        gen.doSample() ? gen.topP() : 1, 0, OptionalLong.of(seed), 0));
                Generation g = Generation.run(m, prompt, sampler, Set.copyOf(gen.eosTokenIds()), MAX_TOKENS,
                        () -> false, id -> { });
                out.printf("%s%n   [%d tokens in %.2f s]%n%n", indent(tok.decode(g.idArray(), true).strip()),
                        g.ids().size(), g.seconds());
            }
        }
    }

    private static String indent(String text) {
        return "   | " + text.replace("\n", "\n   | ");
    }
}
