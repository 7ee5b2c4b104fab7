package io.podserve.model.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.checkpoint.TensorLayout;
import io.podserve.model.config.ConfigLoader;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.weights.DType;
import io.podserve.model.weights.SafetensorsWriter;
import io.podserve.model.weights.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Writes a random-weight checkpoint for a config: {@code config.json}, {@code generation_config.json},
 * {@code model.safetensors} (bf16, every tensor {@link TensorLayout} implies) and a byte-level
 * tokenizer. Weights are streamed to disk chunk by chunk, so checkpoints far larger than memory work.
 *
 * <p>Values: norm weights 1; everything else uniform with the standard deviation of transformers'
 * initializer (0.02), so activations stay in the range real checkpoints see. The same seed gives
 * the same bytes.
 */
public final class SyntheticCheckpoint {
    /** transformers' default {@code initializer_range}. */
    private static final double INIT_STD = 0.02;
    /** Elements generated per chunk: 8 MiB of bf16. */
    private static final int CHUNK_ELEMENTS = 4 << 20;
    private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticCheckpoint() {
    }

    /** Bytes of {@code model.safetensors}' tensor data for this config. */
    public static long weightBytes(ModelConfig config) {
        return specs(config).stream().mapToLong(TensorSpec::byteSize).sum();
    }

    /**
     * Writes the checkpoint into {@code outDir} (created if needed).
     *
     * @param progress told the number of weight bytes written after each chunk
     */
    public static ModelConfig write(ObjectNode configJson, Path outDir, long seed, LongConsumer progress)
            throws IOException {
        ModelConfig config = ConfigLoader.parse(outDir.resolve("config.json"), configJson);
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("config.json"), configJson.toPrettyString());
        ObjectNode generation = JSON.createObjectNode();
        generation.putArray("eos_token_id").add(SyntheticTokenizer.firstSpecialId() + 2);
        generation.put("do_sample", false);
        Files.writeString(outDir.resolve("generation_config.json"), generation.toPrettyString());
        Files.writeString(outDir.resolve("tokenizer.json"), SyntheticTokenizer.tokenizerJson(config.vocabSize()));
        Files.writeString(outDir.resolve("tokenizer_config.json"), SyntheticTokenizer.tokenizerConfigJson());
        writeWeights(config, outDir.resolve("model.safetensors"), seed, progress);
        return config;
    }

    private static List<TensorSpec> specs(ModelConfig config) {
        List<TensorSpec> specs = new ArrayList<>();
        TensorLayout.of(config).forEach((name, shape) -> specs.add(new TensorSpec(name, DType.BF16, shape)));
        return specs;
    }

    private static void writeWeights(ModelConfig config, Path file, long seed, LongConsumer progress) throws IOException {
        List<TensorSpec> specs = specs(config);
        long written = 0;
        try (Arena arena = Arena.ofConfined();
             SafetensorsWriter writer = SafetensorsWriter.create(file, specs, Map.of("format", "pt"))) {
            MemorySegment chunk = arena.allocate((long) CHUNK_ELEMENTS * 2, 64);
            for (int t = 0; t < specs.size(); t++) {
                TensorSpec spec = specs.get(t);
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + t);
                boolean isNorm = isNormWeight(spec.name());
                for (long done = 0; done < spec.numElements(); ) {
                    int n = (int) Math.min(CHUNK_ELEMENTS, spec.numElements() - done);
                    fill(chunk, n, isNorm, random);
                    writer.writeChunk(chunk.asSlice(0, (long) n * 2));
                    done += n;
                    written += (long) n * 2;
                    progress.accept(written);
                }
            }
        }
    }

    /** RMSNorm weights (layer norms, q/k norms, MLA's latent norms) start at 1, as in a fresh model. */
    static boolean isNormWeight(String name) {
        return name.endsWith("norm.weight");
    }

    private static void fill(MemorySegment chunk, int n, boolean isNorm, SplittableRandom random) {
        if (isNorm) {
            short one = bf16(1.0f);
            for (int i = 0; i < n; i++) {
                chunk.setAtIndex(BF16, i, one);
            }
            return;
        }
        // Uniform on [-a, a] has standard deviation a / sqrt(3).
        float a = (float) (INIT_STD * Math.sqrt(3));
        for (int i = 0; i < n; i++) {
            chunk.setAtIndex(BF16, i, bf16((float) (random.nextDouble() * 2 - 1) * a));
        }
    }

    /** f32 to bf16 bits, rounding to nearest even. */
    private static short bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
