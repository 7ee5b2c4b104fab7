package io.podserve.model.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file as a stream: the tensors are declared up front (the header holds every
 * offset), then their bytes follow in declaration order, whole or in chunks of any size, so a
 * multi-gigabyte checkpoint never has to be in memory. The header is padded with spaces to a
 * multiple of 8 bytes, as Hugging Face's writer does, so the data area starts 8-aligned.
 *
 * <p>Data goes to {@code <file>.partial}, which replaces {@code file} on a successful
 * {@link #close()}; a writer closed before all bytes arrived deletes it and throws, so no
 * half-written checkpoint is left looking complete.
 */
public final class SafetensorsWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HEADER_ALIGNMENT_BYTES = 8;
    /** Limit of one channel write; ByteBuffers cannot pass 2 GiB. */
    private static final long MAX_WRITE_BYTES = 64L << 20;

    private final Path file;
    private final Path partialFile;
    private final FileChannel channel;
    private final List<TensorSpec> tensors;
    /** Data-area offset at which tensor i starts; one more entry for the end of the data. */
    private final long[] tensorStarts;
    private long numBytesWritten;
    private int nextTensor;
    private boolean closed;

    private SafetensorsWriter(Path file, List<TensorSpec> tensors, long[] tensorStarts) throws IOException {
        this.file = file;
        this.partialFile = file.resolveSibling(file.getFileName() + ".partial");
        this.tensors = List.copyOf(tensors);
        this.tensorStarts = tensorStarts;
        this.channel = FileChannel.open(partialFile, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** Starts a file holding {@code tensors} in this order; writes its header at once. */
    public static SafetensorsWriter create(Path file, List<TensorSpec> tensors, Map<String, String> metadata)
            throws IOException {
        long[] tensorStarts = layOut(tensors);
        SafetensorsWriter writer = new SafetensorsWriter(file, tensors, tensorStarts);
        try {
            writer.writeFully(MemorySegment.ofArray(header(tensors, tensorStarts, metadata)));
        } catch (IOException | RuntimeException e) {
            writer.abandon();
            throw e;
        }
        return writer;
    }

    /** Writes whole tensors (their {@link Tensor#data()} bytes) to a new file in one go. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        try (SafetensorsWriter writer = create(file, tensors.stream().map(TensorSpec::of).toList(), metadata)) {
            for (Tensor tensor : tensors) {
                writer.writeTensor(tensor.name(), tensor.data());
            }
        }
    }

    private static long[] layOut(List<TensorSpec> tensors) {
        long[] starts = new long[tensors.size() + 1];
        var names = new HashSet<String>();
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec tensor = tensors.get(i);
            if (!names.add(tensor.name()) || tensor.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + tensor.name() + " is used twice or reserved");
            }
            starts[i + 1] = Math.addExact(starts[i], tensor.byteSize());
        }
        return starts;
    }

    /** The length-prefixed, space-padded JSON header. */
    static byte[] header(List<TensorSpec> tensors, long[] tensorStarts, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode metadataNode = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(metadataNode::put);
        }
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec tensor = tensors.get(i);
            ObjectNode entry = root.putObject(tensor.name());
            entry.put("dtype", tensor.dtype().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(tensor.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(tensorStarts[i]).add(tensorStarts[i + 1]);
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int paddedBytes = Math.ceilDiv(json.length, HEADER_ALIGNMENT_BYTES) * HEADER_ALIGNMENT_BYTES;
        ByteBuffer header = ByteBuffer.allocate(Long.BYTES + paddedBytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(paddedBytes).put(json);
        while (header.hasRemaining()) {
            header.put((byte) ' ');
        }
        return header.array();
    }

    /** Writes the whole of the next tensor, which must be {@code name} (empty tensors may be skipped). */
    public void writeTensor(String name, MemorySegment bytes) throws IOException {
        while (nextTensor < tensors.size() && tensors.get(nextTensor).byteSize() == 0
                && !tensors.get(nextTensor).name().equals(name)) {
            nextTensor++;
        }
        if (nextTensor >= tensors.size() || !tensors.get(nextTensor).name().equals(name)) {
            throw new IllegalStateException("wrote " + name + " but the next tensor declared is "
                    + (nextTensor < tensors.size() ? tensors.get(nextTensor).name() : "none"));
        }
        int index = nextTensor;
        TensorSpec tensor = tensors.get(index);
        if (numBytesWritten != tensorStarts[index] || bytes.byteSize() != tensor.byteSize()) {
            throw new IllegalStateException("tensor " + tensor + " takes " + tensor.byteSize()
                    + " bytes from data offset " + tensorStarts[index] + ", got " + bytes.byteSize()
                    + " bytes at data offset " + numBytesWritten);
        }
        writeChunk(bytes);
        nextTensor = Math.max(nextTensor, index + 1);
    }

    /** Appends raw data bytes: the rest of the current tensor, possibly running into the next ones. */
    public void writeChunk(MemorySegment bytes) throws IOException {
        if (bytes.byteSize() > numBytesRemaining()) {
            throw new IllegalStateException(bytes.byteSize() + " bytes do not fit: only "
                    + numBytesRemaining() + " data bytes remain of " + file);
        }
        writeFully(bytes);
        numBytesWritten += bytes.byteSize();
        while (nextTensor < tensors.size() && isBehind(nextTensor)) {
            nextTensor++;
        }
    }

    /** Done with tensor i; an empty tensor only once writing has moved past its offset. */
    private boolean isBehind(int i) {
        long end = tensorStarts[i + 1];
        return end < numBytesWritten || (end == numBytesWritten && end > tensorStarts[i]);
    }

    /** Data bytes still to write before the file is complete. */
    public long numBytesRemaining() {
        return tensorStarts[tensors.size()] - numBytesWritten;
    }

    private void writeFully(MemorySegment bytes) throws IOException {
        for (long offset = 0; offset < bytes.byteSize(); offset += MAX_WRITE_BYTES) {
            long sliceBytes = Math.min(MAX_WRITE_BYTES, bytes.byteSize() - offset);
            ByteBuffer buffer = asBuffer(bytes.asSlice(offset, sliceBytes));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /** Heap segments over float[] and the like have no ByteBuffer view; those are copied first. */
    private static ByteBuffer asBuffer(MemorySegment slice) {
        boolean viewable = slice.isNative() || slice.heapBase().orElse(null) instanceof byte[];
        return viewable ? slice.asByteBuffer() : ByteBuffer.wrap(slice.toArray(LittleEndian.BYTE));
    }

    /**
     * Publishes the file if every declared byte was written.
     *
     * @throws IllegalStateException when data is missing; the partial file is deleted
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (numBytesRemaining() > 0) {
            abandon();
            throw new IllegalStateException(file + " was not written: " + numBytesRemaining()
                    + " data bytes are missing, from tensor " + tensors.get(nextTensor).name());
        }
        closed = true;
        channel.close();
        Files.move(partialFile, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void abandon() throws IOException {
        closed = true;
        channel.close();
        Files.deleteIfExists(partialFile);
    }
}
