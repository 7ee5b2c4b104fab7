package io.podserve.cli;

import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.checkpoint.ModelSummary;
import io.podserve.model.config.AttentionConfig;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.MoeConfig;
import io.podserve.model.weights.TensorInfo;
import io.podserve.model.weights.WeightStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code podserve inspect}: what a checkpoint is and what it needs to run. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe a model directory: architecture, layers, attention, experts, parameter count "
                + "(total and active per token), dtypes and memory needed. Checks every tensor the config implies.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory (default: the built-in fortune-moe)")
    Path model;

    @Option(names = "--tensors", description = "also list every tensor with its dtype and shape")
    boolean tensors;

    @Option(names = "--context", paramLabel = "TOKENS",
            description = "sequence length for the KV-cache estimate (default: the model's max_position_embeddings)")
    Integer context;

    @Override
    public Integer call() {
        Path dir = model != null ? model : Defaults.defaultModel();
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            PrintWriter out = spec.commandLine().getOut();
            ModelConfig c = ckpt.config();
            ModelSummary s = ModelSummary.of(c, ckpt.weights());
            int tokens = context != null ? context : c.maxPositionEmbeddings();
            long kv = ModelSummary.kvBytesForSequence(c, tokens);
            row(out, "model", dir.toString());
            row(out, "architecture", c.architecture() + " (model_type " + c.type().configName() + ")");
            row(out, "layers", layers(c));
            row(out, "width", "hidden " + c.hiddenSize() + ", vocab " + c.vocabSize() + ", max context "
                    + c.maxPositionEmbeddings() + (c.intermediateSize() > 0 ? ", dense FFN " + c.intermediateSize() : ""));
            row(out, "attention", attention(c.attention()));
            row(out, "rope", c.rope().type().name().toLowerCase() + ", theta " + c.rope().theta()
                    + (c.rope().factor() != 1 ? ", factor " + c.rope().factor() : ""));
            if (c.isMoe()) {
                row(out, "experts", experts(c.moe()));
            }
            row(out, "parameters", Units.count(s.numParameters()) + " total, "
                    + Units.count(s.numActiveParameters()) + " active per token");
            row(out, "dtypes", s.numParametersByDType().entrySet().stream()
                    .map(e -> e.getKey() + " " + Units.count(e.getValue())).collect(Collectors.joining(", ")));
            row(out, "weights", Units.bytes(s.weightBytes()) + " in " + ckpt.weights().files().size() + " file(s)"
                    + (c.quantization() != null ? ", " + c.quantization().method() + " "
                    + c.quantization().blockRows() + "x" + c.quantization().blockCols() + " blocks" : ""));
            row(out, "KV cache", Units.bytes(s.kvBytesPerToken()) + " per token (f32); "
                    + Units.bytes(kv) + " for one sequence of " + tokens + " tokens");
            row(out, "memory needed", Units.bytes(s.weightBytes() + kv)
                    + " for the weights and one full-length sequence's KV cache");
            if (tensors) {
                listTensors(out, ckpt.weights());
            }
            out.flush();
        }
        return 0;
    }

    private static String layers(ModelConfig c) {
        if (!c.isMoe()) {
            return c.numLayers() + " (dense)";
        }
        int moe = c.moe().numMoeLayers();
        return c.numLayers() + " (" + (c.numLayers() - moe) + " dense, " + moe + " MoE)"
                + (c.numNextnPredictLayers() > 0 ? " + " + c.numNextnPredictLayers() + " MTP" : "");
    }

    private static String attention(AttentionConfig a) {
        String kind;
        if (a.mla() != null) {
            var m = a.mla();
            kind = "MLA, " + a.numHeads() + " heads, q_lora " + m.qLoraRank() + ", kv_lora " + m.kvLoraRank()
                    + ", qk " + m.qkNopeHeadDim() + "+" + m.qkRopeHeadDim() + " rope, v " + m.vHeadDim();
        } else {
            String family = a.numKvHeads() == a.numHeads() ? "MHA" : a.numKvHeads() == 1 ? "MQA" : "GQA";
            kind = family + ", " + a.numHeads() + " q heads, " + a.numKvHeads() + " kv heads, head dim " + a.headDim();
        }
        long sliding = a.layerKinds().stream().filter(k -> k == AttentionConfig.LayerKind.SLIDING).count();
        return kind + (a.qkNorm() ? ", q/k norm" : "") + (a.sinks() ? ", sinks" : "") + (a.bias() ? ", biases" : "")
                + (sliding > 0 ? ", " + sliding + " sliding layers (window " + a.slidingWindow() + ")" : "");
    }

    private static String experts(MoeConfig m) {
        String routing = switch (m.scoring()) {
            case SOFTMAX_THEN_TOPK -> "softmax then top-k" + (m.normTopkProb() ? ", renormalized" : "");
            case TOPK_THEN_SOFTMAX -> "biased top-k then softmax";
            case SIGMOID_WITH_BIAS -> "sigmoid with correction bias"
                    + (m.numGroups() > 1 ? ", " + m.numGroups() + " groups keep " + m.topkGroups() : "")
                    + (m.routedScalingFactor() != 1 ? ", scaled " + m.routedScalingFactor() : "");
        };
        return m.numExperts() + " routed, top-" + m.numExpertsPerToken() + " (" + routing + ")"
                + (m.numSharedExperts() > 0 ? ", " + m.numSharedExperts() + " shared" : "")
                + "; expert FFN " + m.expertIntermediate();
    }

    private static void listTensors(PrintWriter out, WeightStore weights) {
        out.println();
        for (String name : weights.names()) {
            TensorInfo t = weights.info(name);
            out.printf("%-64s %-8s %s%n", name, t.dtype(), Arrays.toString(t.shape()));
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("%-14s %s%n", label, value);
    }
}
