package io.podserve.jmh.peer;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;

/**
 * Jlama ({@code com.github.tjake:jlama-core}) on the same checkpoint, weights read as stored:
 * f32 working memory and bf16 as the working quantized type, the one Jlama's loader itself picks
 * for bf16 weights (activations are rounded to bf16 for the matmuls, sums kept in f32). Greedy:
 * temperature 0. Owned by one thread.
 */
final class JlamaEngine implements DecodeEngine {
    private final AbstractModel model;
    private final KvBufferCache cache;
    private final AbstractTensor logits;
    private KvBufferCache.KvBuffer kv;
    private int position;

    JlamaEngine(Path dir, int threads) {
        PhysicalCoreExecutor.overrideThreadCount(threads);
        model = ModelSupport.loadModel(new File(dir.toString()), DType.F32, DType.BF16);
        cache = new KvBufferCache(model);
        logits = model.makeDenseTensor(model.getConfig().vocabularySize);
    }

    String describe() {
        return "jlama working dtype " + model.getWorkingDType() + ", weights " + model.getWeights().getModelDType();
    }

    @Override
    public String name() {
        return "jlama";
    }

    @Override
    public int prefill(int[] prompt) {
        reset();
        kv = cache.getKvBuffer(UUID.randomUUID());
        AbstractTensor out = model.batchForward(prompt, 0, kv);
        position = prompt.length;
        return sample(out.slice(out.shape().first() - 1));
    }

    @Override
    public int decode(int token) {
        AbstractTensor out = model.forward(token, position++, kv, Optional.empty());
        return sample(out);
    }

    private int sample(AbstractTensor out) {
        int next = model.sample(out, 0f, 0f, logits);
        out.close();
        return next;
    }

    @Override
    public void reset() {
        if (kv != null) {
            kv.close();
            kv = null;
        }
        position = 0;
    }

    @Override
    public void close() {
        reset();
        cache.close();
        model.close();
    }
}
