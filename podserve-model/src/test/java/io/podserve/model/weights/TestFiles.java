package io.podserve.model.weights;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds tensors from plain values and safetensors files with hand-written (lying) headers. */
final class TestFiles {
    private TestFiles() {
    }

    static ByteBuffer littleEndian(int numBytes) {
        return ByteBuffer.allocate(numBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static Tensor tensor(String name, DType dtype, long[] shape, ByteBuffer bytes) {
        return new Tensor(name, dtype, shape, MemorySegment.ofArray(bytes.array()));
    }

    /** A little-endian F32 tensor holding {@code values}. */
    static Tensor f32(String name, long[] shape, float... values) {
        ByteBuffer bytes = littleEndian(values.length * Float.BYTES);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return tensor(name, DType.F32, shape, bytes);
    }

    /** A file whose header is exactly {@code json} (unpadded), followed by {@code numDataBytes} zeros. */
    static Path writeRaw(Path file, String json, int numDataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return writeRaw(file, header.length, header, numDataBytes);
    }

    /** A file claiming {@code declaredHeaderBytes} of header, whatever really follows. */
    static Path writeRaw(Path file, long declaredHeaderBytes, byte[] header, int numDataBytes) throws IOException {
        ByteBuffer bytes = littleEndian(Long.BYTES + header.length + numDataBytes);
        bytes.putLong(declaredHeaderBytes).put(header);
        Files.write(file, bytes.array());
        return file;
    }
}
