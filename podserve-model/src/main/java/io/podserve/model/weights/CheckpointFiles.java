package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds the safetensors files of a checkpoint and which file holds each tensor, in the order
 * transformers looks: {@code model.safetensors}, then {@code model.safetensors.index.json}, then
 * any {@code *.safetensors}. Every file is opened (and so validated) before the store exists;
 * on any error the files opened so far are closed again.
 */
final class CheckpointFiles {
    static final String SINGLE_FILE_NAME = "model.safetensors";
    private static final String EXTENSION = ".safetensors";

    private CheckpointFiles() {
    }

    static WeightStore open(Path location) {
        if (Files.isRegularFile(location)) {
            return openUnindexed(location, List.of(location));
        }
        if (!Files.isDirectory(location)) {
            throw new ModelFormatException(location, "not found; expected a model directory or a "
                    + EXTENSION + " file");
        }
        Path singleFile = location.resolve(SINGLE_FILE_NAME);
        if (Files.isRegularFile(singleFile)) {
            return openUnindexed(location, List.of(singleFile));
        }
        Path indexFile = location.resolve(ShardIndex.FILE_NAME);
        if (Files.isRegularFile(indexFile)) {
            return openSharded(location, ShardIndex.read(indexFile));
        }
        return openUnindexed(location, listSafetensors(location));
    }

    private static List<Path> listSafetensors(Path directory) {
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(EXTENSION))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ModelFormatException(directory, "cannot be listed: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ModelFormatException(directory, "has no " + SINGLE_FILE_NAME + ", no "
                    + ShardIndex.FILE_NAME + " and no other " + EXTENSION
                    + " file; is this the model's folder, and is the download complete?");
        }
        return files;
    }

    /** Files without an index: each tensor must be in exactly one of them. */
    private static WeightStore openUnindexed(Path location, List<Path> paths) {
        List<SafetensorsFile> files = openEach(paths);
        SortedMap<String, SafetensorsFile> fileByTensor = new TreeMap<>();
        try {
            for (SafetensorsFile file : files) {
                for (String name : file.names()) {
                    SafetensorsFile previous = fileByTensor.putIfAbsent(name, file);
                    if (previous != null) {
                        throw new ModelFormatException(location, "tensor " + name + " is in both "
                                + previous.path().getFileName() + " and " + file.path().getFileName()
                                + "; remove the stray file, or add a " + ShardIndex.FILE_NAME);
                    }
                }
            }
        } catch (RuntimeException e) {
            closeAll(files);
            throw e;
        }
        return new WeightStore(location, files, fileByTensor);
    }

    private static WeightStore openSharded(Path directory, ShardIndex index) {
        Map<String, Path> shardPaths = new LinkedHashMap<>();
        for (String shardName : index.shardNames()) {
            shardPaths.put(shardName, existingShard(directory, index, shardName));
        }
        List<SafetensorsFile> shards = openEach(List.copyOf(shardPaths.values()));
        Map<String, SafetensorsFile> shardByName = new LinkedHashMap<>();
        List<String> shardNames = List.copyOf(shardPaths.keySet());
        for (int i = 0; i < shardNames.size(); i++) {
            shardByName.put(shardNames.get(i), shards.get(i));
        }
        try {
            return new WeightStore(directory, shards, mapTensors(index, shardByName));
        } catch (RuntimeException e) {
            closeAll(shards);
            throw e;
        }
    }

    private static Path existingShard(Path directory, ShardIndex index, String shardName) {
        Path shard = directory.resolve(shardName);
        if (!Files.isRegularFile(shard)) {
            List<String> tensors = index.weightMap().entrySet().stream()
                    .filter(e -> e.getValue().equals(shardName)).map(Map.Entry::getKey).toList();
            String holding = tensors.size() == 1 ? tensors.getFirst()
                    : tensors.size() + " tensors, e.g. " + tensors.getFirst();
            throw new ModelFormatException(index.file(), "lists shard " + shardName + " (holding "
                    + holding + ") but " + directory
                    + " has no such file; the download is incomplete: fetch " + shardName);
        }
        return shard;
    }

    private static SortedMap<String, SafetensorsFile> mapTensors(ShardIndex index,
            Map<String, SafetensorsFile> shardByName) {
        SortedMap<String, SafetensorsFile> fileByTensor = new TreeMap<>();
        index.weightMap().forEach((tensor, shardName) -> {
            SafetensorsFile shard = shardByName.get(shardName);
            if (!shard.contains(tensor)) {
                throw new ModelFormatException(index.file(), "maps tensor " + tensor + " to shard " + shardName
                        + ", which does not hold it (its "
                        + MissingTensor.suggestions(tensor, shard.names()) + "); the index and the shards are from different revisions: re-download them");
            }
            fileByTensor.put(tensor, shard);
        });
        return fileByTensor;
    }

    private static List<SafetensorsFile> openEach(List<Path> paths) {
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            for (Path path : paths) {
                files.add(SafetensorsFile.open(path));
            }
        } catch (RuntimeException e) {
            closeAll(files);
            throw e;
        }
        return files;
    }

    private static void closeAll(List<SafetensorsFile> files) {
        files.forEach(SafetensorsFile::close);
    }
}
