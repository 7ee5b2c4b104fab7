package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a safetensors file can be broken fails at open, with a message that says what and why. */
class MalformedFileTest {
    @TempDir
    Path dir;

    private String openError(Path file) {
        return assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(file).close()).getMessage();
    }

    private String openError(String json, int numDataBytes) throws IOException {
        return openError(TestFiles.writeRaw(dir.resolve("bad.safetensors"), json, numDataBytes));
    }

    private Path bad() {
        return dir.resolve("bad.safetensors");
    }

    @Test
    void truncatedFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(TestFiles.f32("a", new long[] {4}, 1, 2, 3, 4),
                TestFiles.f32("b", new long[] {4}, 5, 6, 7, 8)), Map.of());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 4);
        }
        assertEquals(file + ": file is truncated: tensor b needs bytes [16, 32) but the file's data area has"
                + " only 28 bytes; re-download it", openError(file));
    }

    @Test
    void offsetsBeyondTheData() throws IOException {
        assertEquals(bad() + ": file is truncated: tensor x needs bytes [0, 16) but the file's data area has"
                + " only 8 bytes; re-download it",
                openError("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8));
    }

    @Test
    void overlappingTensors() throws IOException {
        assertEquals(bad() + ": tensors a (bytes [0, 8)) and b (bytes [4, 12)) overlap; the header is corrupt",
                openError("{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12));
    }

    @Test
    void sizeThatDoesNotMatchShapeAndDType() throws IOException {
        assertEquals(bad() + ": tensor x: BF16 [2, 3] needs 12 bytes (6 elements × 2) but its data_offsets span"
                + " 8 bytes; the header's dtype, shape or offsets are wrong",
                openError("{\"x\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}", 8));
    }

    @Test
    void offsetsRunningBackwards() throws IOException {
        assertEquals(bad() + ": tensor x: data_offsets [8, 4] run backwards (begin > end); the header is corrupt",
                openError("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8));
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        Path file = TestFiles.writeRaw(bad(), 1000, header, 0);
        assertEquals(file + ": header length (first 8 bytes) says 1000 bytes but only 2 bytes follow;"
                + " the file is truncated or not a safetensors file", openError(file));
        Path huge = TestFiles.writeRaw(bad(), -1, header, 0);
        assertEquals(file + ": header length (first 8 bytes) says 18446744073709551615 bytes but only 2 bytes"
                + " follow; the file is truncated or not a safetensors file", openError(huge));
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path file = Files.write(bad(), new byte[] {1, 2, 3});
        assertEquals(file + ": file is truncated: it has 3 bytes, fewer than the 8-byte header length that"
                + " starts every safetensors file", openError(file));
    }

    @Test
    void gitLfsPointerInsteadOfWeights() throws IOException {
        Path file = Files.writeString(bad(), "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n");
        assertEquals(file + ": is a Git LFS pointer, not the weights; fetch the real file (git lfs pull, or"
                + " download it from the hub)", openError(file));
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        String message = openError("{\"x\": {\"dtype\": \"F32\",", 0);
        assertTrue(message.startsWith(bad() + ": the header is not valid JSON ("), message);
        assertTrue(message.endsWith("); the file is corrupt or not a safetensors file"), message);
        assertEquals(bad() + ": the header is JSON but not an object of tensors (it is ARRAY); not a"
                + " safetensors file", openError("[1, 2]", 0));
    }

    @Test
    void duplicateTensorNames() throws IOException {
        String entry = "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}";
        String message = openError("{\"x\":" + entry + ",\"x\":" + entry + "}", 1);
        assertTrue(message.contains("Duplicate field 'x'"), message);
    }

    @Test
    void unknownDType() throws IOException {
        assertEquals(bad() + ": tensor x has dtype \"F8_E5M2\", which podserve cannot read (supported: BF16, F16,"
                + " F32, F64, F8_E4M3, I64, I32, I16, I8, U8, BOOL); convert the checkpoint to BF16 or F8_E4M3",
                openError("{\"x\":{\"dtype\":\"F8_E5M2\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1));
        var e = assertThrows(IllegalArgumentException.class, () -> DType.fromSafetensorsName("F4"));
        assertEquals("unknown dtype \"F4\"; supported: BF16, F16, F32, F64, F8_E4M3, I64, I32, I16, I8, U8,"
                + " BOOL", e.getMessage());
    }

    @Test
    void missingOrIllTypedFields() throws IOException {
        assertEquals(bad() + ": tensor x has no \"shape\"; the header is corrupt",
                openError("{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4));
        assertEquals(bad() + ": tensor x: \"shape\" must be an array of non-negative integers, got \"4\"",
                openError("{\"x\":{\"dtype\":\"F32\",\"shape\":\"4\",\"data_offsets\":[0,4]}}", 4));
        assertEquals(bad() + ": tensor x: \"dtype\" must be a string like \"BF16\", got 7",
                openError("{\"x\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertEquals(bad() + ": tensor x: data_offsets [0, 2, 4] must be two numbers [begin, end]; the header"
                + " is corrupt", openError("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,2,4]}}", 4));
        assertEquals(bad() + ": tensor x: \"data_offsets\" must be an array of non-negative integers, got [-4,0]",
                openError("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4));
        assertEquals(bad() + ": __metadata__.format must be a string, got 1",
                openError("{\"__metadata__\":{\"format\":1}}", 0));
    }
}
