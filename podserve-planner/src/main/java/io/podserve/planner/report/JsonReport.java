package io.podserve.planner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.planner.search.Evaluation;
import io.podserve.planner.search.SearchResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A search as JSON: the ranked strategies, the Pareto front and the search's own statistics. */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static void write(Path file, ObjectNode inputs, SearchResult r) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("inputs", inputs);
        root.set("ranked", rows(r.ranked()));
        root.set("pareto", rows(r.pareto()));
        ObjectNode stats = root.putObject("search");
        stats.put("candidates", r.candidates());
        stats.put("infeasible", r.infeasible());
        stats.put("pruned", r.pruned());
        stats.put("simulations", r.simulations());
        stats.put("seconds", r.seconds());
        JSON.writeValue(file.toFile(), root);
    }

    public static ObjectNode inputs() {
        return JSON.createObjectNode();
    }

    private static ArrayNode rows(List<Evaluation> list) {
        ArrayNode a = JSON.createArrayNode();
        for (Evaluation e : list) {
            ObjectNode o = a.addObject();
            o.put("strategy", e.strategy().toString());
            o.put("kind", e.strategy().kind());
            o.put("chips", e.chips());
            o.put("goodputRequestsPerSecond", e.goodput());
            o.put("goodputPerChip", e.goodputPerChip());
            o.put("outputTokensPerSecondPerChip", e.tokensPerChip());
            o.put("ttftSeconds", e.ttft());
            o.put("tpotSeconds", e.tpot());
            o.put("attainment", e.attainment());
            o.put("bottleneck", e.bottleneck());
        }
        return a;
    }
}
