package io.podserve.model.weights;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SequencedSet;

/**
 * {@code model.safetensors.index.json}, the table of contents of a sharded checkpoint: which shard
 * file holds each tensor ({@code weight_map}) and, optionally, the total size of all tensors in
 * bytes ({@code metadata.total_size}).
 *
 * @param file           the index file
 * @param weightMap      tensor name → shard file name (relative to the index's folder), in file order
 * @param totalSizeBytes {@code metadata.total_size}, or -1 when the index does not say
 */
public record ShardIndex(Path file, Map<String, String> weightMap, long totalSizeBytes) {
    public static final String FILE_NAME = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ShardIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /** The Hugging Face shard name: {@code model-00001-of-00003.safetensors} for shard 0 of 3. */
    public static String shardFileName(int shard, int numShards) {
        return String.format("model-%05d-of-%05d.safetensors", shard + 1, numShards);
    }

    /** Shard file names in the order the index first mentions them. */
    public SequencedSet<String> shardNames() {
        return new LinkedHashSet<>(weightMap.values());
    }

    /** Reads and checks an index; shard files are checked by {@link WeightStore}. */
    public static ShardIndex read(Path file) {
        JsonNode root = readJson(file);
        JsonNode weightMapNode = root.get("weight_map");
        if (weightMapNode == null || !weightMapNode.isObject() || weightMapNode.isEmpty()) {
            throw new ModelFormatException(file, "has no \"weight_map\" object of tensor name → shard file;"
                    + " it is not a safetensors index or is damaged");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : weightMapNode.properties()) {
            weightMap.put(entry.getKey(), shardName(file, entry.getKey(), entry.getValue()));
        }
        JsonNode totalSize = root.path("metadata").path("total_size");
        return new ShardIndex(file, weightMap, totalSize.canConvertToLong() ? totalSize.longValue() : -1);
    }

    private static JsonNode readJson(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "not found");
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "is not a JSON object; not a safetensors index");
        }
        return root;
    }

    /** Shards must sit next to the index: a path elsewhere is a damaged or hostile index. */
    private static String shardName(Path file, String tensor, JsonNode value) {
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new ModelFormatException(file, "weight_map maps tensor " + tensor + " to " + value
                    + ", not to a shard file name");
        }
        String name = value.textValue();
        if (name.contains("/") || name.contains("\\") || name.equals("..")) {
            throw new ModelFormatException(file, "weight_map maps tensor " + tensor + " to \"" + name
                    + "\"; shard files must be plain names in the index's folder");
        }
        return name;
    }

    /** Writes this index as Hugging Face does: {@code metadata.total_size}, then {@code weight_map}. */
    public void write() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (totalSizeBytes >= 0) {
            root.putObject("metadata").put("total_size", totalSizeBytes);
        }
        ObjectNode weightMapNode = root.putObject("weight_map");
        weightMap.forEach(weightMapNode::put);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
}
