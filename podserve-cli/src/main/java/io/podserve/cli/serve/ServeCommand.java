package io.podserve.cli.serve;

import io.podserve.cli.QuantizationOption;
import io.podserve.cli.engine.EngineOptions;
import io.podserve.cli.engine.ServingModel;
import io.podserve.model.ModelFormatException;
import io.podserve.model.chat.ChatTemplate;
import io.podserve.server.PodServer;
import io.podserve.server.ServerConfig;
import io.podserve.server.openai.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code podserve serve}: the OpenAI-compatible server over one collocated engine. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over an OpenAI-compatible HTTP API: POST /v1/chat/completions and "
                + "/v1/completions (streamed or not), GET /v1/models, /health and /metrics (Prometheus).",
                "Ctrl-C or SIGTERM stops gracefully: new requests get 503, running ones finish within the grace."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
    Path model;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "interface to listen on; 0.0.0.0 for all (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8000", paramLabel = "P", description = "TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--served-model-name", paramLabel = "NAME",
            description = "the name clients pass as \"model\" (default: the model directory's name)")
    String servedModelName;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "require 'Authorization: Bearer KEY' on /v1 requests (default: no key)")
    String apiKey;

    @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
            description = "on stop, how long running requests may take to finish before they are ended (default: ${DEFAULT-VALUE})")
    int shutdownGraceSeconds;

    @Option(names = "--max-body-mb", defaultValue = "8", paramLabel = "MIB",
            description = "larger request bodies are refused with 413 (default: ${DEFAULT-VALUE})")
    int maxBodyMb;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    QuantizationOption quantization;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Running running = start(err);
        CountDownLatch stopped = new CountDownLatch(1);
        // NOTE: the hook does the whole stop, because the JVM exits once hooks finish, whatever main is doing.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("stopping: finishing running requests (up to " + shutdownGraceSeconds + " s)...");
            err.flush();
            running.close();
            stopped.countDown();
        }, "podserve-stop"));
        spec.commandLine().getOut().printf("serving %s at %s (max context %d tokens)%n",
                servedModelName(), running.server().baseUri(), running.server().maxModelLen());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /** A started server and the model under it, stopped and closed together. */
    public record Running(PodServer server, ServingModel model) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
            model.close();
        }
    }

    /** Loads the model (with a progress bar), starts the engine and the server. */
    public Running start(PrintWriter err) {
        if (shutdownGraceSeconds < 0 || maxBodyMb < 1) {
            throw new IllegalArgumentException("--shutdown-grace must be >= 0 and --max-body-mb >= 1");
        }
        ServerConfig config = new ServerConfig(host, port, apiKey, (long) maxBodyMb << 20,
                Duration.ofSeconds(shutdownGraceSeconds));
        WeightWarmup.run(model);
        ServingModel sm = ServingModel.open(model, engineOptions, quantization.q8(), err);
        try {
            return new Running(PodServer.start(sm.startEngine(engineOptions.engineConfig()), servedModel(sm, err),
                    config), sm);
        } catch (RuntimeException e) {
            sm.close();
            throw e;
        }
    }

    private ServedModel servedModel(ServingModel sm, PrintWriter err) {
        return new ServedModel(servedModelName(), sm.tokenizer, chatTemplate(err), sm.generation);
    }

    private String servedModelName() {
        return servedModelName != null ? servedModelName : model.toAbsolutePath().normalize().getFileName().toString();
    }

    /** The model's chat template, or null (chat completions then answer 400) when it ships none. */
    private ChatTemplate chatTemplate(PrintWriter err) {
        Path config = model.resolve("tokenizer_config.json");
        if (!Files.exists(config)) {
            err.println("warning: " + config + " is missing; /v1/chat/completions will refuse requests");
            return null;
        }
        try {
            return ChatTemplate.fromTokenizerConfig(config);
        } catch (ModelFormatException e) {
            err.println("warning: no usable chat template (" + e.getMessage() + "); /v1/chat/completions will "
                    + "refuse requests");
            return null;
        }
    }
}
