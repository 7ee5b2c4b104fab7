package io.podserve.planner.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes a {@link Hardware} in the catalog's own format, so {@code --hardware-file} reads it back. */
public final class HardwareWriter {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private HardwareWriter() {
    }

    public static ObjectNode toNode(Hardware h) {
        ObjectNode p = YAML.createObjectNode();
        p.put("name", h.name());
        p.put("description", h.description());
        ObjectNode peaks = p.putObject("peakFlops");
        for (Map.Entry<String, Double> e : h.peakFlops().entrySet()) {
            peaks.put(e.getKey(), e.getValue());
        }
        p.putObject("memory").put("bytes", h.memoryBytes()).put("bandwidth", h.memoryBandwidth())
                .put("usable", h.memoryUsable());
        p.put("chipsPerNode", h.chipsPerNode());
        ObjectNode links = p.putObject("links");
        link(links.putObject("node"), h.node());
        link(links.putObject("cluster"), h.cluster());
        if (h.superpod() != null) {
            p.put("superpodChips", h.superpodChips());
            link(links.putObject("superpod"), h.superpod());
        }
        p.putObject("dispatch").put("eagerPerKernel", h.dispatchEager()).put("graphPerKernel", h.dispatchGraph())
                .put("perStep", h.stepOverhead()).put("perSequence", h.seqOverhead()).put("async", h.hostAsync())
                .put("groupedExperts", h.groupedExperts());
        p.put("kvDtype", h.kvDtype());
        ObjectNode eff = p.putObject("efficiency");
        eff.set("gemm", curve(h.gemmEfficiency()));
        eff.set("memory", curve(h.memoryEfficiency()));
        eff.set("attention", curve(h.attentionEfficiency()));
        return p;
    }

    public static void write(Path file, Hardware h, String comment) throws IOException {
        String body = YAML.writeValueAsString(toNode(h));
        java.nio.file.Files.writeString(file, "# " + comment.replace("\n", "\n# ") + "\n" + body);
    }

    private static void link(ObjectNode n, Link l) {
        n.put("bandwidth", l.bandwidth()).put("latency", l.latency());
    }

    private static ArrayNode curve(EfficiencyCurve c) {
        ArrayNode a = YAML.createArrayNode();
        for (double[] pt : c.points()) {
            a.addArray().add(pt[0]).add(pt[1]);
        }
        return a;
    }
}
