package io.podserve.units.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.podserve.kernels.Q8;
import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import io.podserve.model.weights.Tensor;
import io.podserve.model.weights.WeightStore;
import io.podserve.units.layers.Linear;
import io.podserve.units.layers.SwigluMlp;

/**
 * Turns checkpoint tensors into kernel weights. 2-D BF16/F16/F32 tensors are wrapped without copying
 * (the mapped slice is the {@code [out, in]} matrix); with Q8 on, matmul weights are quantized into
 * {@code arena}. Biases and sinks become f32. GPT-OSS's fused expert tensors are re-laid out into
 * per-expert {@code [out, in]} matrices. Load-time only; runs on the loading thread (Q8 and the
 * re-layout use the common pool, so {@code arena} must be shared).
 */
final class WeightLoader {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final WeightStore store;
    private final boolean q8;
    private final Arena arena;
    private final Set<WeightFormat> matrixFormats = ConcurrentHashMap.newKeySet(); // the re-layout loads in parallel

    WeightLoader(WeightStore store, boolean q8, Arena arena) {
        this.store = store;
        this.q8 = q8;
        this.arena = arena;
    }

    /** A 2-D tensor as stored, never quantized (embedding, router). */
    Weights stored(String name) {
        return recorded(wrapped(name));
    }

    private Weights wrapped(String name) {
        Tensor t = store.tensor(name);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(name + " is not a matrix");
        }
        return new Weights(format(t), (int) t.dim(0), (int) t.dim(1), asNative(t.data()));
    }

    /** The formats of every matrix handed out so far (embedding, router and matmul weights, as the kernels get them). */
    Set<WeightFormat> matrixFormats() {
        return Set.copyOf(matrixFormats);
    }

    private Weights recorded(Weights w) {
        matrixFormats.add(w.format());
        return w;
    }

    /**
     * The same memory, scope and read-only flag, as a plain native segment rather than a mapped one
     * ({@code reinterpret} to the same size makes one; nothing is copied). NOTE: the kernels' vector
     * loads are JDK methods shared by every caller, whose type profile then saw mapped weights and
     * native activations, quantized or computed weights: C2 compiled them for both kinds, and the
     * 4 × 4 fused dot, recompiled after the second kind reached it, outgrew the inlining budget and fell
     * back to boxed vectors (3 GB/s against 22 on the 2-core machine); even the 1-row dot lost 10-20%.
     * One segment class for all weights keeps those sites monomorphic.
     */
    private static MemorySegment asNative(MemorySegment data) {
        return data.reinterpret(data.byteSize());
    }

    /** A 2-D matmul weight, Q8-quantized when the options say so. */
    Weights matrix(String name) {
        return maybeQuantize(wrapped(name));
    }

    /** A 1-D norm weight as a {@code [1, n]} matrix, as stored. */
    Weights norm(String name) {
        Tensor t = store.tensor(name);
        return new Weights(format(t), 1, (int) t.numElements(), asNative(t.data()));
    }

    /** Any float tensor widened to f32 in the load arena. */
    MemorySegment f32(String name) {
        Tensor t = store.tensor(name);
        MemorySegment out = arena.allocate(t.numElements() * Float.BYTES, 64);
        t.copyToFloats(out);
        return out;
    }

    float[] floats(String name) {
        return store.tensor(name).toFloatArray();
    }

    /** {@code prefix.weight} and, when {@code bias}, {@code prefix.bias}. */
    Linear linear(String prefix, boolean bias) {
        return new Linear(matrix(prefix + ".weight"), bias ? f32(prefix + ".bias") : null);
    }

    /** {@link #linear} never quantized. */
    Linear unquantized(String prefix, boolean bias) {
        return new Linear(stored(prefix + ".weight"), bias ? f32(prefix + ".bias") : null);
    }

    /** The dense-style gated MLP under {@code prefix} with the given projection names. */
    SwigluMlp mlp(String prefix, String gate, String up, String down) {
        return new SwigluMlp(linear(prefix + gate, false), linear(prefix + up, false), linear(prefix + down, false), 0);
    }

    /**
     * GPT-OSS experts from the fused tensors under {@code prefix} ({@code mlp.experts.}):
     * {@code gate_up_proj [E, hidden, 2·inter]} stored {@code [in, out]} with gate at even and up at
     * odd output columns, {@code down_proj [E, inter, hidden]} also {@code [in, out]}, and their biases.
     */
    SwigluMlp[] gptOssExperts(String prefix, float limit) {
        Tensor gateUp = store.tensor(prefix + "gate_up_proj"); // [numExperts, hidden, 2 · inter]
        Tensor down = store.tensor(prefix + "down_proj"); // [numExperts, inter, hidden]
        MemorySegment gateUpBias = f32(prefix + "gate_up_proj_bias"); // [numExperts, 2 · inter]
        MemorySegment downBias = f32(prefix + "down_proj_bias"); // [numExperts, hidden]
        int experts = (int) gateUp.dim(0);
        int hidden = (int) gateUp.dim(1);
        int inter = (int) gateUp.dim(2) / 2;
        SwigluMlp[] out = new SwigluMlp[experts];
        IntStream.range(0, experts).parallel().forEach(e -> {
            Weights gate = transposed(gateUp, e, 0, 2, inter, hidden);
            Weights up = transposed(gateUp, e, 1, 2, inter, hidden);
            Weights downProj = transposed(down, e, 0, 1, hidden, inter);
            MemorySegment gateBias = strided(gateUpBias, (long) e * 2 * inter, 0, 2, inter);
            MemorySegment upBias = strided(gateUpBias, (long) e * 2 * inter, 1, 2, inter);
            MemorySegment dBias = downBias.asSlice((long) e * hidden * Float.BYTES, (long) hidden * Float.BYTES);
            out[e] = new SwigluMlp(new Linear(maybeQuantize(gate), gateBias), new Linear(maybeQuantize(up), upBias),
                    new Linear(maybeQuantize(downProj), dBias), limit);
        });
        return out;
    }

    /**
     * Expert {@code e} of a fused {@code [E, in, stride · rows]} tensor as an {@code [rows, in]}
     * matrix: {@code dst[o][i] = src[e][i][stride · o + offset]}, element bits copied unchanged.
     */
    private Weights transposed(Tensor t, int e, int offset, int stride, int rows, int cols) {
        WeightFormat format = format(t);
        Weights dst = Weights.allocate(arena, format, rows, cols);
        long width = t.dim(2);
        long base = (long) e * cols * width;
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < cols; i++) {
                long src = base + (long) i * width + (long) stride * o + offset;
                long at = (long) o * cols + i;
                if (format == WeightFormat.F32) {
                    dst.data().setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, at,
                            t.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, src));
                } else {
                    dst.data().setAtIndex(I16, at, t.data().getAtIndex(I16, src));
                }
            }
        }
        return dst;
    }

    /** {@code n} floats {@code src[base + stride · j + offset]} into a new segment. */
    private MemorySegment strided(MemorySegment src, long base, int offset, int stride, int n) {
        MemorySegment out = arena.allocate((long) n * Float.BYTES, 64);
        for (int j = 0; j < n; j++) {
            out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, j,
                    src.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, base + (long) stride * j + offset));
        }
        return out;
    }

    private Weights maybeQuantize(Weights w) {
        return recorded(q8 ? Q8.quantize(w, arena) : w);
    }

    private static WeightFormat format(Tensor t) {
        return switch (t.dtype()) {
            case BF16 -> WeightFormat.BF16;
            case F16 -> WeightFormat.F16;
            case F32 -> WeightFormat.F32;
            default -> throw new IllegalArgumentException("tensor " + t.name() + " is " + t.dtype()
                    + "; units load BF16, F16 or F32 weights");
        };
    }
}
