package io.podserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.bench.client.RequestRecord;
import io.podserve.bench.report.BenchSummary;
import io.podserve.bench.report.ResultTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A finished run: its configuration, its summary and every request's record, in sending order. */
public record BenchResult(BenchConfig config, BenchSummary summary, List<RequestRecord> records) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The printed report. */
    public String table() {
        BenchConfig c = config;
        String rate = Double.isInfinite(c.requestRate()) ? "all at once"
                : String.format(Locale.ROOT, "%.3g req/s (burstiness %.3g%s)", c.requestRate(), c.burstiness(),
                        c.burstiness() == 1 ? ", Poisson" : "");
        return ResultTable.format(List.of(
                "Target:   " + c.endpoint().resolve(c.url()) + ", model " + c.model(),
                "Load:     " + c.numPrompts() + " requests, " + rate
                        + (c.maxConcurrency() > 0 ? ", at most " + c.maxConcurrency() + " in flight" : ""),
                "Dataset:  " + c.dataset().describe() + ", seed " + c.seed()), summary, records);
    }

    /** {@code config}, {@code summary} (flat, vLLM's key names) and {@code requests} (one record each). */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", Instant.now().toString());
        root.set("config", configJson());
        root.set("summary", summary.toJson(JSON));
        root.set("requests", JSON.valueToTree(records));
        return root;
    }

    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    // The API key stays out: result files get shared.
    private ObjectNode configJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", config.endpoint().resolve(config.url()).toString());
        o.put("endpoint", config.endpoint().name().toLowerCase(Locale.ROOT));
        o.put("model", config.model());
        o.put("num_prompts", config.numPrompts());
        if (Double.isInfinite(config.requestRate())) {
            o.put("request_rate", "inf");
        } else {
            o.put("request_rate", config.requestRate());
        }
        o.put("burstiness", config.burstiness());
        o.put("max_concurrency", config.maxConcurrency() > 0 ? config.maxConcurrency() : null);
        o.put("seed", config.seed());
        o.put("dataset", config.dataset().describe());
        o.put("ignore_eos", config.ignoreEos());
        o.put("temperature", config.temperature());
        o.put("request_timeout_s", config.requestTimeout().toMillis() / 1000.0);
        return o;
    }
}
