package io.podserve.model.weights;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.podserve.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and checked against the size of the data area so
 * that no later read can fall outside the file or see two tensors share bytes.
 *
 * @param metadata the optional {@code __metadata__} string map (e.g. {@code format: pt})
 * @param tensors  every tensor, in header order
 */
record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors) {
    static final String METADATA_KEY = "__metadata__";

    /** Duplicate keys would silently hide a tensor, so the parser rejects them. */
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** One tensor with the header's data-area-relative offsets, kept for error messages. */
    private record Entry(TensorInfo info, long begin, long end) {
    }

    /**
     * @param dataStart absolute file offset of the data area (8 + header length)
     * @param dataBytes size of the data area: file size minus {@code dataStart}
     */
    static SafetensorsHeader parse(Path file, byte[] json, long dataStart, long dataBytes) {
        JsonNode root = readJson(file, json);
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                entries.add(parseTensor(file, field.getKey(), field.getValue(), dataStart, dataBytes));
            }
        }
        checkNoOverlaps(file, entries);
        return new SafetensorsHeader(metadata, entries.stream().map(Entry::info).toList());
    }

    private static JsonNode readJson(Path file, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            String reason = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new ModelFormatException(file, "the header is not valid JSON (" + reason
                    + "); the file is corrupt or not a safetensors file");
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "the header is JSON but not an object of tensors"
                    + " (it is " + (root == null ? "empty" : root.getNodeType()) + "); not a safetensors file");
        }
        return root;
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new ModelFormatException(file, METADATA_KEY + " must be an object of strings, got " + node);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new ModelFormatException(file, METADATA_KEY + "." + field.getKey()
                        + " must be a string, got " + field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return Map.copyOf(metadata);
    }

    private static Entry parseTensor(Path file, String name, JsonNode node, long dataStart, long dataBytes) {
        if (!node.isObject()) {
            throw new ModelFormatException(file, "tensor " + name + ": header entry is " + node
                    + ", not an object with dtype, shape and data_offsets");
        }
        DType dtype = parseDType(file, name, node.get("dtype"));
        long[] shape = nonNegativeLongs(file, name, "shape", node.get("shape"));
        long[] offsets = nonNegativeLongs(file, name, "data_offsets", node.get("data_offsets"));
        if (offsets.length != 2) {
            throw new ModelFormatException(file, "tensor " + name + ": data_offsets " + Shapes.format(offsets)
                    + " must be two numbers [begin, end]; the header is corrupt");
        }
        long begin = offsets[0];
        long end = offsets[1];
        checkOffsets(file, name, begin, end, dataBytes);
        checkByteSize(file, name, dtype, shape, end - begin);
        TensorInfo info = new TensorInfo(name, dtype, shape, file, dataStart + begin, end - begin);
        return new Entry(info, begin, end);
    }

    private static DType parseDType(Path file, String name, JsonNode node) {
        if (node == null) {
            throw new ModelFormatException(file, "tensor " + name + " has no \"dtype\"; the header is corrupt");
        }
        if (!node.isTextual()) {
            throw new ModelFormatException(file, "tensor " + name + ": \"dtype\" must be a string like \"BF16\","
                    + " got " + node);
        }
        return DType.find(node.textValue()).orElseThrow(() -> new ModelFormatException(file, "tensor " + name
                + " has dtype \"" + node.textValue() + "\", which podserve cannot read (supported: "
                + DType.supportedNames() + "); convert the checkpoint to BF16 or F8_E4M3"));
    }

    private static long[] nonNegativeLongs(Path file, String name, String key, JsonNode node) {
        if (node == null) {
            throw new ModelFormatException(file, "tensor " + name + " has no \"" + key
                    + "\"; the header is corrupt");
        }
        if (!node.isArray()) {
            throw new ModelFormatException(file, "tensor " + name + ": \"" + key
                    + "\" must be an array of non-negative integers, got " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToLong() || item.longValue() < 0) {
                throw new ModelFormatException(file, "tensor " + name + ": \"" + key
                        + "\" must be an array of non-negative integers, got " + node);
            }
            values[i] = item.longValue();
        }
        return values;
    }

    private static void checkOffsets(Path file, String name, long begin, long end, long dataBytes) {
        if (begin > end) {
            throw new ModelFormatException(file, "tensor " + name + ": data_offsets [" + begin + ", " + end
                    + "] run backwards (begin > end); the header is corrupt");
        }
        if (end > dataBytes) {
            throw new ModelFormatException(file, "file is truncated: tensor " + name + " needs bytes ["
                    + begin + ", " + end + ") but the file's data area has only " + dataBytes
                    + " bytes; re-download it");
        }
    }

    private static void checkByteSize(Path file, String name, DType dtype, long[] shape, long spanBytes) {
        long numElements;
        try {
            numElements = Shapes.numElements(shape);
            Math.multiplyExact(numElements, dtype.bytesPerElement());
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, "tensor " + name + ": shape " + Shapes.format(shape)
                    + " has more elements than fit in 64 bits; the header is corrupt");
        }
        long expectedBytes = numElements * dtype.bytesPerElement();
        if (expectedBytes != spanBytes) {
            throw new ModelFormatException(file, "tensor " + name + ": " + dtype + " " + Shapes.format(shape)
                    + " needs " + expectedBytes + " bytes (" + numElements + " elements × "
                    + dtype.bytesPerElement() + ") but its data_offsets span " + spanBytes
                    + " bytes; the header's dtype, shape or offsets are wrong");
        }
    }

    /** Empty tensors take no bytes and cannot overlap anything. */
    private static void checkNoOverlaps(Path file, List<Entry> entries) {
        List<Entry> byBegin = entries.stream().filter(e -> e.end > e.begin)
                .sorted(Comparator.comparingLong(Entry::begin)).toList();
        Entry furthest = null;
        for (Entry entry : byBegin) {
            if (furthest != null && entry.begin < furthest.end) {
                throw new ModelFormatException(file, "tensors " + furthest.info.name() + " (bytes ["
                        + furthest.begin + ", " + furthest.end + ")) and " + entry.info.name() + " (bytes ["
                        + entry.begin + ", " + entry.end + ")) overlap; the header is corrupt");
            }
            if (furthest == null || entry.end > furthest.end) {
                furthest = entry;
            }
        }
    }
}
