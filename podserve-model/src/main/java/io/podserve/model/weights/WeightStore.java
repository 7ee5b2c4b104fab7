package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * All weights of a checkpoint, memory-mapped: {@code model.safetensors}, a sharded checkpoint with
 * {@code model.safetensors.index.json}, or, when there is neither, every {@code *.safetensors} in
 * the folder. Nothing is copied to the heap; tensors are slices of the mappings, valid until
 * {@link #close()}. Every problem found while opening or looking up is a
 * {@link ModelFormatException} that names the file and says what to do.
 */
public final class WeightStore implements AutoCloseable {
    private final Path location;
    private final List<SafetensorsFile> files;
    private final SortedMap<String, SafetensorsFile> fileByTensor;

    WeightStore(Path location, List<SafetensorsFile> files, SortedMap<String, SafetensorsFile> fileByTensor) {
        this.location = location;
        this.files = List.copyOf(files);
        this.fileByTensor = Collections.unmodifiableSortedMap(fileByTensor);
    }

    /**
     * Opens a model directory (or a single {@code .safetensors} file) and validates every file it
     * uses: headers, offsets against file sizes, and the shard index against the shards.
     */
    public static WeightStore open(Path directoryOrFile) {
        return CheckpointFiles.open(directoryOrFile);
    }

    /** The directory (or single file) this store was opened from. */
    public Path location() {
        return location;
    }

    /** The safetensors files in use, in the order they were opened. */
    public List<Path> files() {
        return files.stream().map(SafetensorsFile::path).toList();
    }

    /** All tensor names, sorted. */
    public Set<String> names() {
        return fileByTensor.keySet();
    }

    public boolean contains(String name) {
        return fileByTensor.containsKey(name);
    }

    /** @throws ModelFormatException naming the tensor, this store's location and the closest names */
    public TensorInfo info(String name) {
        return fileOf(name).info(name);
    }

    /** The tensor as a slice of its file's mapping. */
    public Tensor tensor(String name) {
        return fileOf(name).tensor(name);
    }

    /**
     * The tensor, checked to have exactly {@code expectedShape}: what a model does with each weight
     * it loads, so that a checkpoint of the wrong size fails at load time with the tensor's name.
     */
    public Tensor require(String name, long... expectedShape) {
        TensorInfo info = info(name);
        if (!info.hasShape(expectedShape)) {
            throw new ModelFormatException(info.file(), "tensor " + name + " has shape "
                    + Shapes.format(info.shape()) + " but the model config expects "
                    + Shapes.format(expectedShape) + "; config.json and the weights do not belong together"
                    + " (wrong folder, or a size such as hidden_size differs)");
        }
        return tensor(name);
    }

    private SafetensorsFile fileOf(String name) {
        SafetensorsFile file = fileByTensor.get(name);
        if (file == null) {
            throw new ModelFormatException(location, MissingTensor.describe(name, fileByTensor.keySet()));
        }
        return file;
    }

    /** Bytes of all tensors together, as stored (headers not counted). */
    public long totalBytes() {
        return fileByTensor.keySet().stream().mapToLong(name -> info(name).byteSize()).sum();
    }

    /** Number of elements per dtype; FP8 scales count as F32 parameters, as the hub does. */
    public Map<DType, Long> numParametersByDType() {
        Map<DType, Long> counts = new EnumMap<>(DType.class);
        for (String name : fileByTensor.keySet()) {
            TensorInfo info = info(name);
            counts.merge(info.dtype(), info.numElements(), Long::sum);
        }
        return counts;
    }

    /** {@link #dequantized(String, int, int, Arena)} with 128 × 128 FP8 blocks. */
    public Tensor dequantized(String name, Arena arena) {
        return dequantized(name, Fp8BlockDequant.DEFAULT_BLOCK_SIZE, Fp8BlockDequant.DEFAULT_BLOCK_SIZE, arena);
    }

    /**
     * The tensor as little-endian f32 in a new segment of {@code arena}: F8_E4M3 weights multiplied
     * by their {@code _scale_inv} block scales, other floating-point types widened.
     *
     * @param blockRows the config's {@code quantization_config.weight_block_size[0]}
     * @param blockCols the config's {@code quantization_config.weight_block_size[1]}
     */
    public Tensor dequantized(String name, int blockRows, int blockCols, Arena arena) {
        Tensor tensor = tensor(name);
        if (tensor.dtype() == DType.F8_E4M3) {
            return Fp8BlockDequant.dequantize(tensor, blockScales(name, blockRows, blockCols),
                    blockRows, blockCols, arena);
        }
        if (!tensor.dtype().isFloatingPoint()) {
            throw new IllegalStateException("tensor " + name + " is " + tensor.dtype()
                    + "; only floating-point tensors convert to f32");
        }
        MemorySegment dst = arena.allocate(tensor.numElements() * Float.BYTES, Float.BYTES);
        tensor.copyToFloats(dst);
        return new Tensor(name, DType.F32, tensor.shape(), dst);
    }

    /**
     * The {@code _scale_inv} tensor of an F8_E4M3 weight, checked to be present and shaped for
     * {@code blockRows × blockCols} blocks; the error says what is wrong and what to do.
     */
    public Tensor blockScales(String weightName, int blockRows, int blockCols) {
        String scaleName = Fp8BlockDequant.scaleName(weightName);
        if (!contains(scaleName)) {
            throw new ModelFormatException(info(weightName).file(), "tensor " + weightName + " is F8_E4M3 but "
                    + scaleName + " is missing; FP8 checkpoints need their block scales (one F32 per "
                    + blockRows + " × " + blockCols + " block) to give the weights their magnitude."
                    + " The checkpoint is incomplete or was converted without them; re-download it");
        }
        Tensor scales = tensor(scaleName);
        Fp8BlockDequant.checkShapes(tensor(weightName), scales, blockRows, blockCols);
        return scales;
    }

    /** Unmaps every file; tensors taken from this store must not be read afterwards. */
    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return location + " (" + fileByTensor.size() + " tensors in " + files.size() + " files)";
    }
}
