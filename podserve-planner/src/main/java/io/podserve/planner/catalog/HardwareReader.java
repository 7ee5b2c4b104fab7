package io.podserve.planner.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one merged profile mapping into a {@link Hardware}, naming the field at fault on error. */
final class HardwareReader {
    private final JsonNode root;
    private final String where;

    private HardwareReader(JsonNode root, String origin) {
        this.root = root;
        this.where = origin + ", hardware '" + root.path("name").asText() + "'";
    }

    static Hardware read(JsonNode node, String origin) {
        return new HardwareReader(node, origin).read();
    }

    private Hardware read() {
        Map<String, Double> peaks = new LinkedHashMap<>();
        JsonNode pf = require("peakFlops");
        pf.properties().forEach(e -> peaks.put(e.getKey(), number(e.getValue(), "peakFlops." + e.getKey())));
        JsonNode links = require("links");
        int superpodChips = root.path("superpodChips").asInt(0);
        Link superpod = links.hasNonNull("superpod") ? link(links.get("superpod"), "links.superpod") : null;
        if (superpodChips > 0 && superpod == null) {
            throw error("superpodChips is set but links.superpod is missing");
        }
        try {
            return new Hardware(
                    root.get("name").asText(),
                    root.path("description").asText(""),
                    peaks,
                    number(at("memory.bytes"), "memory.bytes"),
                    number(at("memory.bandwidth"), "memory.bandwidth"),
                    root.path("memory").has("usable") ? number(at("memory.usable"), "memory.usable") : 0.9,
                    (int) number(require("chipsPerNode"), "chipsPerNode"),
                    link(at("links.node"), "links.node"),
                    link(at("links.cluster"), "links.cluster"),
                    superpodChips,
                    superpod,
                    number(at("dispatch.eagerPerKernel"), "dispatch.eagerPerKernel"),
                    number(at("dispatch.graphPerKernel"), "dispatch.graphPerKernel"),
                    number(at("dispatch.perStep"), "dispatch.perStep"),
                    root.path("dispatch").has("perSequence") ? number(at("dispatch.perSequence"), "dispatch.perSequence") : 0,
                    root.path("dispatch").path("async").asBoolean(true),
                    root.path("dispatch").path("groupedExperts").asBoolean(true),
                    root.path("kvDtype").asText("bf16"),
                    curve("gemm"),
                    curve("memory"),
                    curve("attention"));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private Link link(JsonNode n, String field) {
        return new Link(number(n.get("bandwidth"), field + ".bandwidth"), number(n.get("latency"), field + ".latency"));
    }

    private EfficiencyCurve curve(String name) {
        JsonNode n = at("efficiency." + name);
        if (!n.isArray()) {
            throw error("efficiency." + name + " must be a list of [size, efficiency] pairs");
        }
        List<double[]> points = new ArrayList<>();
        for (JsonNode p : n) {
            if (!p.isArray() || p.size() != 2) {
                throw error("efficiency." + name + " has an entry that is not a [size, efficiency] pair: " + p);
            }
            points.add(new double[] {number(p.get(0), "efficiency." + name), number(p.get(1), "efficiency." + name)});
        }
        return new EfficiencyCurve(points);
    }

    private JsonNode require(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw error("missing field '" + field + "'");
        }
        return n;
    }

    private JsonNode at(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        if (n.isMissingNode() || n.isNull()) {
            throw error("missing field '" + path + "'");
        }
        return n;
    }

    /** Numbers may be written 989e12, which YAML 1.1 reads as a string. */
    private double number(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            throw error("missing field '" + field + "'");
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("field '" + field + "' must be a number, got '" + n.asText() + "'");
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(where + ": " + message);
    }
}
