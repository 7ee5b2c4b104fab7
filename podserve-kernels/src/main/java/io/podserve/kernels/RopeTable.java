package io.podserve.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;

/**
 * Precomputed rotary cos/sin for every position below {@code maxPositions}, built from
 * {@link RopeParams} with transformers' formulas ({@code modeling_rope_utils}) in the same
 * precision: inverse frequencies in f32 from {@code arange(0, dim, 2).float() / dim}, angles as the
 * f32 product {@code position · inv_freq}, cos/sin of that f32 angle, times the attention scaling in
 * f32. Where torch's f32 {@code pow}/{@code cos} differ from a correctly rounded result, we may
 * differ by an ulp.
 *
 * <p>Immutable after {@link #build}; shared read-only by all threads.
 */
public final class RopeTable {
    private final RopeParams params;
    private final float[] inverseFrequencies; // [rotaryDim / 2]
    private final float attentionScaling;
    private final MemorySegment cos; // f32 [maxPositions, rotaryDim / 2]
    private final MemorySegment sin; // f32 [maxPositions, rotaryDim / 2]

    private RopeTable(RopeParams params, float[] inverseFrequencies, float attentionScaling, MemorySegment cos,
            MemorySegment sin) {
        this.params = params;
        this.inverseFrequencies = inverseFrequencies;
        this.attentionScaling = attentionScaling;
        this.cos = cos;
        this.sin = sin;
    }

    /**
     * Computes frequencies and fills the tables, in parallel on the common pool (a load-time step;
     * {@code arena} must not be confined).
     */
    public static RopeTable build(RopeParams params, Arena arena) {
        return build(params, false, arena);
    }

    /**
     * {@link #build(RopeParams, Arena)}, with the inverse frequencies rounded to bf16 first when
     * {@code bf16Frequencies}. NOTE: transformers keeps {@code inv_freq} as a module buffer, so a
     * model instantiated in bf16 holds it in bf16 even when it later computes in f32; its angles
     * are then off by up to 2^-9 relative, which at position 30 moves logits by ~1e-2. Reproducing
     * such a run needs the same rounding.
     */
    public static RopeTable build(RopeParams params, boolean bf16Frequencies, Arena arena) {
        float[] inv = RopeFrequencies.inverseFrequencies(params);
        if (bf16Frequencies) {
            for (int j = 0; j < inv.length; j++) {
                inv[j] = Weights.bf16ToFloat(Weights.floatToBf16(inv[j]));
            }
        }
        float scaling = (float) RopeFrequencies.attentionScaling(params);
        int half = inv.length;
        long tableBytes = (long) params.maxPositions() * half * Float.BYTES;
        MemorySegment cos = arena.allocate(tableBytes, 64);
        MemorySegment sin = arena.allocate(tableBytes, 64);
        IntStream.range(0, params.maxPositions()).parallel().forEach(position -> {
            long row = (long) position * half * Float.BYTES;
            for (int j = 0; j < half; j++) {
                float angle = (float) position * inv[j];
                cos.set(Weights.F32, row + j * 4L, (float) Math.cos(angle) * scaling);
                sin.set(Weights.F32, row + j * 4L, (float) Math.sin(angle) * scaling);
            }
        });
        return new RopeTable(params, inv, scaling, cos, sin);
    }

    public RopeParams params() {
        return params;
    }

    /** Elements of a head that rotate. */
    public int rotaryDim() {
        return params.rotaryDim();
    }

    /** Elements per head. */
    public int headDim() {
        return params.headDim();
    }

    /** Positions covered: {@code [0, maxPositions)}. */
    public int maxPositions() {
        return params.maxPositions();
    }

    /** The f32 inverse frequencies, one per rotated pair. */
    public float[] inverseFrequencies() {
        return inverseFrequencies.clone();
    }

    /** The factor cos and sin are multiplied by (YaRN's attention factor; 1 otherwise). */
    public float attentionScaling() {
        return attentionScaling;
    }

    /** cos table, f32 {@code [maxPositions, rotaryDim / 2]}, attention scaling applied. */
    public MemorySegment cos() {
        return cos;
    }

    /** sin table, f32 {@code [maxPositions, rotaryDim / 2]}, attention scaling applied. */
    public MemorySegment sin() {
        return sin;
    }
}
