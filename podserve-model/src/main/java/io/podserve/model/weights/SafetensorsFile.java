package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a UTF-8
 * JSON header, then the data area that the header's {@code data_offsets} point into. Opening
 * checks the whole header against the file's size, so every {@link Tensor} handed out lies inside
 * the mapping. Tensors are slices of the mapping, valid until {@link #close()}; the arena is
 * shared, so they can be read from any thread.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The safetensors format's own limit; a larger length means a corrupt or foreign file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int LENGTH_PREFIX_BYTES = 8;
    private static final String GIT_LFS_POINTER_START = "version https://git-lfs";

    private final Path file;
    private final Arena arena;
    private final MemorySegment mapped;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path file, Arena arena, MemorySegment mapped, SafetensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.mapped = mapped;
        this.metadata = header.metadata();
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        header.tensors().forEach(t -> byName.put(t.name(), t));
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /** Maps and validates {@code file}; every problem is a {@link ModelFormatException} naming it. */
    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapped = map(file, arena);
            return new SafetensorsFile(file, arena, mapped, readHeader(file, mapped));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment map(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(MapMode.READ_ONLY, 0, channel.size(), arena);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "not found");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsHeader readHeader(Path file, MemorySegment mapped) {
        long fileBytes = mapped.byteSize();
        if (startsWith(mapped, GIT_LFS_POINTER_START)) {
            throw new ModelFormatException(file, "is a Git LFS pointer, not the weights;"
                    + " fetch the real file (git lfs pull, or download it from the hub)");
        }
        if (fileBytes < LENGTH_PREFIX_BYTES) {
            throw new ModelFormatException(file, "file is truncated: it has " + fileBytes
                    + " bytes, fewer than the 8-byte header length that starts every safetensors file");
        }
        long headerBytes = mapped.get(LittleEndian.LONG, 0);
        long bytesAfterPrefix = fileBytes - LENGTH_PREFIX_BYTES;
        if (Long.compareUnsigned(headerBytes, bytesAfterPrefix) > 0) {
            throw new ModelFormatException(file, "header length (first 8 bytes) says "
                    + Long.toUnsignedString(headerBytes) + " bytes but only " + bytesAfterPrefix
                    + " bytes follow; the file is truncated or not a safetensors file");
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new ModelFormatException(file, "header length " + headerBytes + " is over the format's limit of "
                    + MAX_HEADER_BYTES + " bytes; the file is corrupt or not a safetensors file");
        }
        byte[] json = mapped.asSlice(LENGTH_PREFIX_BYTES, headerBytes).toArray(LittleEndian.BYTE);
        long dataStart = LENGTH_PREFIX_BYTES + headerBytes;
        return SafetensorsHeader.parse(file, json, dataStart, fileBytes - dataStart);
    }

    private static boolean startsWith(MemorySegment mapped, String ascii) {
        byte[] prefix = ascii.getBytes(StandardCharsets.US_ASCII);
        if (mapped.byteSize() < prefix.length) {
            return false;
        }
        byte[] head = mapped.asSlice(0, prefix.length).toArray(LittleEndian.BYTE);
        return Arrays.equals(head, prefix);
    }

    public Path path() {
        return file;
    }

    /** The header's {@code __metadata__}, empty when it has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** Every tensor, in header order. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** @throws ModelFormatException naming the file and the closest existing names */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelFormatException(file, MissingTensor.describe(name, tensors.keySet()));
        }
        return info;
    }

    /** The tensor's bytes as a slice of the mapping, valid until this file is closed. */
    public Tensor tensor(String name) {
        TensorInfo info = info(name);
        MemorySegment data = mapped.asSlice(info.dataOffset(), info.byteSize());
        return new Tensor(name, info.dtype(), info.shape(), data, file);
    }

    /** Unmaps the file; tensors taken from it must not be read afterwards. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return file + " (" + tensors.size() + " tensors)";
    }
}
