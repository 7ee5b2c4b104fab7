package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTripTest {
    /** Exact in every float type under test, FP8 included (0.5 … 448 and a subnormal). */
    private static final float[] FLOATS = {1.0f, -2.5f, 0.5f, 448f, 0.001953125f, -0.0f};
    private static final long[] LONGS = {0, 1, -1, 100, -128, 127};
    private static final long[] SHAPE = {2, 3};

    @TempDir
    Path dir;

    @Test
    void everyDTypeSurvivesAWriteAndARead() throws IOException {
        List<Tensor> tensors = List.of(
                floats("bf16", DType.BF16), floats("f16", DType.F16), floats("f32", DType.F32),
                floats("f64", DType.F64), floats("fp8", DType.F8_E4M3),
                longs("i64", DType.I64), longs("i32", DType.I32), longs("i16", DType.I16),
                longs("i8", DType.I8), unsigned("u8", DType.U8), booleans("bool"));
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), read.metadata());
            assertEquals(tensors.stream().map(Tensor::name).toList(), List.copyOf(read.names()));
            for (Tensor written : tensors) {
                Tensor back = read.tensor(written.name());
                assertEquals(written.dtype(), back.dtype(), written.name());
                assertArrayEquals(SHAPE, back.shape(), written.name());
                if (written.dtype().isFloatingPoint()) {
                    assertArrayEquals(FLOATS, back.toFloatArray(), written.name());
                } else if (written.name().startsWith("i")) {
                    assertArrayEquals(LONGS, back.toLongArray(), written.name());
                }
            }
            assertArrayEquals(new long[] {0, 1, 255, 100, 128, 127}, read.tensor("u8").toLongArray());
            assertArrayEquals(new long[] {0, 1, 1, 1, 1, 1}, read.tensor("bool").toLongArray());
        }
    }

    @Test
    void headerIsSpacePaddedToEightBytes() throws IOException {
        Path file = dir.resolve("one.safetensors");
        SafetensorsWriter.write(file, List.of(TestFiles.f32("x", new long[] {1}, 3f)), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long headerBytes = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerBytes % 8);
        assertEquals(8 + headerBytes + 4, bytes.length);
        assertEquals(' ', bytes[(int) (8 + headerBytes - 1)]);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(8 + headerBytes, read.info("x").dataOffset());
            assertTrue(read.metadata().isEmpty());
        }
    }

    @Test
    void scalarsAndEmptyTensorsRoundTrip() throws IOException {
        Path file = dir.resolve("edge.safetensors");
        Tensor scalar = TestFiles.f32("scalar", new long[] {}, 7f);
        Tensor empty = new Tensor("empty", DType.BF16, new long[] {0, 4}, MemorySegment.ofArray(new byte[0]));
        SafetensorsWriter.write(file, List.of(scalar, empty), Map.of());
        try (WeightStore store = WeightStore.open(file)) {
            assertEquals(7f, store.tensor("scalar").getFloat(0));
            assertEquals(1, store.info("scalar").numElements());
            assertEquals(0, store.require("empty", 0, 4).numElements());
        }
    }

    @Test
    void chunksMayCrossTensorBoundaries() throws IOException {
        Path file = dir.resolve("chunks.safetensors");
        List<TensorSpec> specs = List.of(new TensorSpec("a", DType.F32, new long[] {3}),
                new TensorSpec("b", DType.F32, new long[] {2}));
        Tensor all = TestFiles.f32("all", new long[] {5}, 1, 2, 3, 4, 5);
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, specs, Map.of())) {
            writer.writeChunk(all.data().asSlice(0, 8));
            writer.writeChunk(all.data().asSlice(8, 12));
            assertEquals(0, writer.numBytesRemaining());
        }
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1, 2, 3}, read.tensor("a").toFloatArray());
            assertArrayEquals(new float[] {4, 5}, read.tensor("b").toFloatArray());
        }
    }

    @Test
    void anUnfinishedFileIsDeletedNotPublished() throws IOException {
        Path file = dir.resolve("unfinished.safetensors");
        List<TensorSpec> specs = List.of(new TensorSpec("a", DType.F32, new long[] {2}),
                new TensorSpec("b", DType.F32, new long[] {2}));
        SafetensorsWriter writer = SafetensorsWriter.create(file, specs, Map.of());
        writer.writeTensor("a", TestFiles.f32("a", new long[] {2}, 1, 2).data());
        var e = assertThrows(IllegalStateException.class, writer::close);
        assertEquals(file + " was not written: 8 data bytes are missing, from tensor b", e.getMessage());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("unfinished.safetensors.partial")));
    }

    @Test
    void shardedCheckpointLoadsThroughItsIndex() throws IOException {
        List<List<Tensor>> shards = List.of(
                List.of(TestFiles.f32("model.embed_tokens.weight", new long[] {4, 2}, 0, 1, 2, 3, 4, 5, 6, 7)),
                List.of(TestFiles.f32("model.norm.weight", new long[] {2}, 1, 1),
                        floats("lm_head.weight", DType.BF16)));
        ShardIndex written = ShardedCheckpointWriter.write(dir, shards, Map.of("format", "pt"));
        assertEquals(4 * 8 + 4 * 2 + 2 * 6, written.totalSizeBytes());

        ShardIndex read = ShardIndex.read(dir.resolve(ShardIndex.FILE_NAME));
        assertEquals(written.weightMap(), read.weightMap());
        assertEquals(written.totalSizeBytes(), read.totalSizeBytes());
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(List.of(dir.resolve("model-00001-of-00002.safetensors"),
                    dir.resolve("model-00002-of-00002.safetensors")), store.files());
            assertEquals(Set.of("lm_head.weight", "model.embed_tokens.weight", "model.norm.weight"),
                    store.names());
            assertEquals(5f, store.require("model.embed_tokens.weight", 4, 2).getFloat(5));
            assertArrayEquals(FLOATS, store.tensor("lm_head.weight").toFloatArray());
            assertEquals(written.totalSizeBytes(), store.totalBytes());
            assertEquals(Map.of(DType.F32, 10L, DType.BF16, 6L), store.numParametersByDType());
        }
    }

    @Test
    void requireNamesTensorFileAndBothShapes() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(floats("model.layers.0.mlp.up_proj.weight", DType.BF16)), Map.of());
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(6, store.require("model.layers.0.mlp.up_proj.weight", 2, 3).numElements());
            var e = assertThrows(ModelFormatException.class,
                    () -> store.require("model.layers.0.mlp.up_proj.weight", 3, 2));
            assertEquals(file + ": tensor model.layers.0.mlp.up_proj.weight has shape [2, 3] but the model"
                    + " config expects [3, 2]; config.json and the weights do not belong together"
                    + " (wrong folder, or a size such as hidden_size differs)", e.getMessage());
        }
    }

    @Test
    void aFolderWithoutIndexUsesEverySafetensorsFile() throws IOException {
        SafetensorsWriter.write(dir.resolve("a.safetensors"), List.of(TestFiles.f32("x", new long[] {1}, 1)), Map.of());
        SafetensorsWriter.write(dir.resolve("b.safetensors"), List.of(TestFiles.f32("y", new long[] {1}, 2)), Map.of());
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(2f, store.tensor("y").getFloat(0));
            assertEquals(2, store.files().size());
        }
        SafetensorsWriter.write(dir.resolve("c.safetensors"), List.of(TestFiles.f32("x", new long[] {1}, 3)), Map.of());
        var e = assertThrows(ModelFormatException.class, () -> WeightStore.open(dir));
        assertEquals(dir + ": tensor x is in both a.safetensors and c.safetensors; remove the stray file,"
                + " or add a model.safetensors.index.json", e.getMessage());
    }

    @Test
    void copyToFloatsWidensIntoOffHeapF32() {
        Tensor bf16 = floats("w", DType.BF16);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(6 * Float.BYTES);
            bf16.copyToFloats(dst);
            Tensor f32 = new Tensor("w", DType.F32, SHAPE, dst);
            assertArrayEquals(FLOATS, f32.toFloatArray());
        }
    }

    private static Tensor floats(String name, DType dtype) {
        ByteBuffer bytes = TestFiles.littleEndian(FLOATS.length * dtype.bytesPerElement());
        for (float value : FLOATS) {
            switch (dtype) {
                case BF16 -> bytes.putShort((short) (Float.floatToRawIntBits(value) >>> 16));
                case F16 -> bytes.putShort(Float.floatToFloat16(value));
                case F32 -> bytes.putFloat(value);
                case F64 -> bytes.putDouble(value);
                case F8_E4M3 -> bytes.put(fp8(value));
                default -> throw new AssertionError(dtype);
            }
        }
        return TestFiles.tensor(name, dtype, SHAPE, bytes);
    }

    /** The FP8 bit patterns of FLOATS, worked out by hand from sign, exponent (bias 7) and mantissa. */
    private static byte fp8(float value) {
        return switch (Float.toString(value)) {
            case "1.0" -> 0x38;
            case "-2.5" -> (byte) 0xC2;
            case "0.5" -> 0x30;
            case "448.0" -> 0x7E;
            case "0.001953125" -> 0x01;
            case "-0.0" -> (byte) 0x80;
            default -> throw new AssertionError(value);
        };
    }

    private static Tensor longs(String name, DType dtype) {
        ByteBuffer bytes = TestFiles.littleEndian(LONGS.length * dtype.bytesPerElement());
        for (long value : LONGS) {
            switch (dtype) {
                case I64 -> bytes.putLong(value);
                case I32 -> bytes.putInt((int) value);
                case I16 -> bytes.putShort((short) value);
                case I8 -> bytes.put((byte) value);
                default -> throw new AssertionError(dtype);
            }
        }
        return TestFiles.tensor(name, dtype, SHAPE, bytes);
    }

    private static Tensor unsigned(String name, DType dtype) {
        ByteBuffer bytes = TestFiles.littleEndian(LONGS.length);
        for (long value : LONGS) {
            bytes.put((byte) value);
        }
        return TestFiles.tensor(name, dtype, SHAPE, bytes);
    }

    private static Tensor booleans(String name) {
        return TestFiles.tensor(name, DType.BOOL, SHAPE, ByteBuffer.wrap(new byte[] {0, 1, 2, 1, 1, (byte) 0xFF}));
    }
}
