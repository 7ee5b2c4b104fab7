package io.podserve.model.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a sharded checkpoint as the hub lays one out: {@code model-0000i-of-0000n.safetensors}
 * files and a {@code model.safetensors.index.json} naming the shard of every tensor. For data too
 * large to hold, write each shard with a streaming {@link SafetensorsWriter} under
 * {@link ShardIndex#shardFileName} and then the {@link ShardIndex} itself.
 */
public final class ShardedCheckpointWriter {
    private ShardedCheckpointWriter() {
    }

    /** Writes one file per list of tensors into {@code directory}, then the index; returns the index. */
    public static ShardIndex write(Path directory, List<List<Tensor>> shards, Map<String, String> metadata)
            throws IOException {
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalSizeBytes = 0;
        for (int shard = 0; shard < shards.size(); shard++) {
            String shardName = ShardIndex.shardFileName(shard, shards.size());
            SafetensorsWriter.write(directory.resolve(shardName), shards.get(shard), metadata);
            for (Tensor tensor : shards.get(shard)) {
                weightMap.put(tensor.name(), shardName);
                totalSizeBytes += tensor.byteSize();
            }
        }
        ShardIndex index = new ShardIndex(directory.resolve(ShardIndex.FILE_NAME), weightMap, totalSizeBytes);
        index.write();
        return index;
    }
}
