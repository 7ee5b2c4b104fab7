package io.podserve.server;

import io.podserve.engine.EngineConfig;
import io.podserve.engine.LlmEngine;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.config.GenerationConfig;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** The real engine on fortune-moe behind a server: what the end-to-end tests talk to. */
final class FortuneServer implements AutoCloseable {
    final PodServer server;
    private final Checkpoint checkpoint;
    private final CpuBackend backend;
    private final Model model;

    FortuneServer(int numKvPages, EngineConfig engineConfig) {
        Path dir = TestModels.fortuneDir();
        checkpoint = Checkpoint.open(dir);
        backend = CpuBackend.create();
        model = Model.load(checkpoint, backend, new ModelOptions(16, numKvPages, false));
        var front = TestModels.fortuneFrontEnd();
        Set<Integer> eos = Set.copyOf(GenerationConfig.load(dir, checkpoint.config()).eosTokenIds());
        LlmEngine engine = LlmEngine.start(model, front.tokenizer(), eos, engineConfig);
        server = PodServer.start(engine, front, ServerConfig.onPort(0).withShutdownGrace(Duration.ofSeconds(10)));
    }

    @Override
    public void close() {
        server.stop();
        model.close();
        backend.close();
        checkpoint.close();
    }
}
