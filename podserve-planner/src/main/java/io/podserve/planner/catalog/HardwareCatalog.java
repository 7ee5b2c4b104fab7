package io.podserve.planner.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hardware profiles by name: the built-in catalog ({@code hardware/catalog.yaml} on the class
 * path) plus any user files. A file holds a {@code defaults} block merged under every profile it
 * declares and a {@code hardware} list; a profile may name another with {@code extends} and
 * override any field. A profile in a later file replaces one of the same name.
 */
public final class HardwareCatalog {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String BUILTIN = "/io/podserve/planner/hardware/catalog.yaml";

    private final Map<String, ObjectNode> profiles = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();

    private HardwareCatalog() {
    }

    /** The built-in catalog, then each user file in order (JSON is YAML too). */
    public static HardwareCatalog load(List<Path> userFiles) {
        HardwareCatalog c = new HardwareCatalog();
        try (InputStream in = HardwareCatalog.class.getResourceAsStream(BUILTIN)) {
            c.add(YAML.readTree(in), "built-in catalog");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : userFiles) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("hardware file " + p + " does not exist");
            }
            try {
                c.add(YAML.readTree(p.toFile()), p.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("hardware file " + p + " is not valid YAML/JSON: " + e.getMessage(), e);
            }
        }
        return c;
    }

    public static HardwareCatalog builtin() {
        return load(List.of());
    }

    public List<String> names() {
        return List.copyOf(profiles.keySet());
    }

    /** The named profile, fully resolved; an unknown name lists the known ones. */
    public Hardware get(String name) {
        ObjectNode node = resolve(name, new ArrayList<>());
        return HardwareReader.read(node, origins.get(name));
    }

    /** Adds (or replaces) profiles from a parsed file, as a user file would. */
    public void include(JsonNode root, String origin) {
        add(root, origin);
    }

    private void add(JsonNode root, String origin) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(origin + ": expected a mapping with a 'hardware' list");
        }
        JsonNode defaults = root.path("defaults");
        JsonNode list = root.get("hardware");
        if (list == null && root.has("name")) {
            list = YAML.createArrayNode().add(root); // a file holding one profile, as `podserve profile` writes
        }
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(origin + ": expected a 'hardware' list of profiles");
        }
        for (JsonNode h : list) {
            if (!h.hasNonNull("name")) {
                throw new IllegalArgumentException(origin + ": every hardware profile needs a 'name'");
            }
            ObjectNode merged = defaults.isObject() ? ((ObjectNode) defaults).deepCopy() : YAML.createObjectNode();
            merge(merged, (ObjectNode) h);
            String name = h.get("name").asText();
            profiles.put(name, merged);
            origins.put(name, origin);
        }
    }

    private ObjectNode resolve(String name, List<String> chain) {
        ObjectNode node = profiles.get(name);
        if (node == null) {
            throw new IllegalArgumentException("unknown hardware '" + name + "'; known: " + String.join(", ", names())
                    + " (or add one with --hardware-file)");
        }
        if (chain.contains(name)) {
            throw new IllegalArgumentException("hardware profiles extend each other in a cycle: " + chain + " -> " + name);
        }
        chain.add(name);
        if (!node.hasNonNull("extends")) {
            return node;
        }
        ObjectNode base = resolve(node.get("extends").asText(), chain).deepCopy();
        merge(base, node);
        base.remove("extends");
        return base;
    }

    /** Deep merge: mappings merge key by key, anything else in {@code over} replaces. */
    private static void merge(ObjectNode into, ObjectNode over) {
        over.properties().forEach(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode a && e.getValue() instanceof ObjectNode b) {
                merge(a, b);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }
}
