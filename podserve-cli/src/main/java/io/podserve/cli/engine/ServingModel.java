package io.podserve.cli.engine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import io.podserve.engine.EngineConfig;
import io.podserve.engine.LlmEngine;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.config.GenerationConfig;
import io.podserve.model.tokenizer.Tokenizer;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;

/**
 * A model opened for serving: checkpoint, CPU backend, units with their KV pages, tokenizer and
 * generation config, closed together. Owned by the command that opened it.
 */
public final class ServingModel implements AutoCloseable {
    public final Path dir;
    public final Checkpoint checkpoint;
    public final CpuBackend backend;
    public final Model model;
    public final Tokenizer tokenizer;
    public final GenerationConfig generation;

    private ServingModel(Path dir, Checkpoint checkpoint, CpuBackend backend, Model model, Tokenizer tokenizer,
                         GenerationConfig generation) {
        this.dir = dir;
        this.checkpoint = checkpoint;
        this.backend = backend;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generation = generation;
    }

    /** Opens {@code dir} with the KV cache and quantization the options ask for; reports on {@code log}. */
    public static ServingModel open(Path dir, EngineOptions options, boolean q8, PrintWriter log) {
        long start = System.nanoTime();
        Checkpoint ckpt = Checkpoint.open(dir);
        CpuBackend backend = null;
        try {
            Tokenizer tok = Tokenizer.load(dir.resolve("tokenizer.json"));
            GenerationConfig gen = GenerationConfig.load(dir, ckpt.config());
            backend = CpuBackend.create();
            ModelOptions mo = options.modelOptions(ckpt.config(), q8);
            log.printf(Locale.ROOT, "loading %s (%d layers%s), KV cache %d pages of %d tokens...%n", dir.getFileName(),
                    ckpt.config().numLayers(), q8 ? ", quantizing to q8" : "", mo.numKvPages(), mo.blockSize());
            log.flush();
            Model model = Model.load(ckpt, backend, mo);
            backend.warmUpMixedFormats(model.matrixFormats()); // else a q8 model's router runs uncompiled for a minute
            log.printf(Locale.ROOT, "loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
            log.flush();
            return new ServingModel(dir, ckpt, backend, model, tok, gen);
        } catch (RuntimeException e) {
            if (backend != null) {
                backend.close();
            }
            ckpt.close();
            throw e;
        }
    }

    public LlmEngine startEngine(EngineConfig config) {
        return LlmEngine.start(model, tokenizer, Set.copyOf(generation.eosTokenIds()), config);
    }

    @Override
    public void close() {
        model.close();
        backend.close();
        checkpoint.close();
    }
}
