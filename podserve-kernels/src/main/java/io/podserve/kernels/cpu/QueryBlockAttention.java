package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;
import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Paged attention of a block of consecutive query rows of one sequence (part of a prefill chunk) for
 * the query heads that share one KV head: the same result as {@link AttentionKernel#attendHead} for
 * each (row, head), up to the order of the dot products' sums.
 *
 * <p>NOTE: the keys are scored {@link #KEYS} at a time with vector lanes along the keys: each key block
 * is transposed once ({@code [dim][key]}) and every (row, head) of the block takes its scores as
 * {@code headDim} FMAs of a broadcast q element, with no horizontal sum per key. The per-(row, head)
 * path reads every key row once per query head and pays a 16-lane reduction per key: a 512-token
 * prefill's attention ran at about 21 GFLOP/s on the 2-core machine (5% of its peak).
 *
 * <p>One instance per worker: its scratch grows to the longest block seen and is then reused.
 */
final class QueryBlockAttention {
    /** Keys per block: one vector of scores. */
    static final int KEYS = LANES;
    static final long VECTOR_BYTES = F.vectorByteSize();
    /** Dims of V per pass of {@link #weightedValues4}: 4 vectors. */
    static final int VALUE_PIECE = 4 * LANES;
    /** Query rows per block. */
    static final int MAX_ROWS = 8;
    /**
     * Blocks of fewer rows take the per-(row, head) path unless the batch is large enough (see
     * {@link AttentionTask#DECODE_BLOCKS}): a batch of one or two rows wants the finer chunks.
     */
    static final int MIN_ROWS = 4;

    private float[] keysT = new float[0]; // [headDim][KEYS]
    private float[] queries = new float[0]; // [row][head of the group][headDim]
    private float[] scores = new float[0]; // [row][head of the group][stride]
    private long[] rows = new long[0];

    /**
     * Writes heads {@code [kvHead · G, (kvHead + 1) · G)} of rows {@code [row0, row0 + numRows)} of
     * {@code out}, the rows at positions {@code position0, position0 + 1, ...} of the sequence with
     * {@code blockTable}.
     */
    void attend(AttentionShape shape, KvCache cache, MemorySegment q, int row0, int numRows, int position0,
            int kvHead, int[] blockTable, float[] sinks, MemorySegment out) {
        int headDim = shape.headDim();
        int group = shape.groupSize();
        int head0 = kvHead * group;
        long kvHeadOffset = (long) kvHead * headDim * Float.BYTES;
        int start = shape.firstVisible(position0);
        int last = position0 + numRows - 1;
        int n = last - start + 1;
        int stride = Math.ceilDiv(n, KEYS) * KEYS;
        int pairs = numRows * group;
        reserve(headDim, pairs, stride, n);
        cache.rowOffsets(blockTable, start, n, rows);
        for (int i = 0; i < numRows; i++) {
            long qRow = ((long) (row0 + i) * shape.numHeads() + head0) * headDim * Float.BYTES;
            MemorySegment.copy(q, F32, qRow, queries, i * group * headDim, group * headDim);
        }
        scoreKeys(shape, cache, position0, numRows, start, n, stride, kvHeadOffset);
        for (int i = 0; i < numRows; i++) {
            long outRow = ((long) (row0 + i) * shape.numHeads() + head0) * headDim * Float.BYTES;
            attendRow(shape, cache, position0 + i, start, i * group, stride, kvHead, kvHeadOffset, sinks, out, outRow);
        }
    }

    /** Raw scores of every (row, head) of the block against each visible block of {@link #KEYS} keys. */
    private void scoreKeys(AttentionShape shape, KvCache cache, int position0, int numRows, int start, int n,
            int stride, long kvHeadOffset) {
        int headDim = shape.headDim();
        int group = shape.groupSize();
        for (int k0 = 0; k0 < n; k0 += KEYS) {
            int m = Math.min(KEYS, n - k0);
            transposeKeys(cache.keys(), k0, m, kvHeadOffset, headDim);
            for (int i = 0; i < numRows; i++) {
                int p = position0 + i;
                if (p < start + k0 || shape.firstVisible(p) > start + k0 + m - 1) {
                    continue; // no key of the block is visible to this row
                }
                int pair = i * group;
                int g = 0;
                for (; g + 4 <= group; g += 4) {
                    score4(headDim, (pair + g) * headDim, (pair + g) * stride + k0, stride);
                }
                for (; g < group; g++) {
                    score1(headDim, (pair + g) * headDim, (pair + g) * stride + k0);
                }
            }
        }
    }

    /**
     * Softmax and weighted V sum for the group's heads of the row at {@code position}, whose scores start at
     * pair {@code pair0}, written to {@code out[outRow..]} (the row's first head of the group).
     */
    private void attendRow(AttentionShape shape, KvCache cache, int position, int start, int pair0, int stride,
            int kvHead, long kvHeadOffset, float[] sinks, MemorySegment out, long outRow) {
        int headDim = shape.headDim();
        int group = shape.groupSize();
        int head0 = kvHead * group;
        int first = shape.firstVisible(position);
        int lo = first - start;
        int count = position - first + 1;
        int g = 0;
        if (headDim % VALUE_PIECE == 0) {
            for (; g + 4 <= group; g += 4) {
                for (int h = g; h < g + 4; h++) {
                    probabilities((pair0 + h) * stride + lo, count, shape.scale(), sink(sinks, head0 + h));
                }
                weightedValues4(cache.values(), kvHeadOffset, lo, count, headDim, (pair0 + g) * stride + lo, stride,
                        out, outRow + (long) g * headDim * Float.BYTES);
            }
        }
        for (; g < group; g++) {
            int from = (pair0 + g) * stride + lo;
            float inverse = 1 / AttentionKernel.softmaxNumerators(scores, from, count, shape.scale(),
                    sink(sinks, head0 + g));
            AttentionKernel.weightedValues(cache.values(), rows, lo, kvHeadOffset, scores, from, count, inverse,
                    headDim, out, outRow + (long) g * headDim * Float.BYTES);
        }
    }

    private static float sink(float[] sinks, int head) {
        return sinks == null ? Float.NEGATIVE_INFINITY : sinks[head];
    }

    /** Turns the raw scores {@code scores[from..from + count)} into softmax probabilities in place. */
    private void probabilities(int from, int count, float scale, float sink) {
        float inverse = 1 / AttentionKernel.softmaxNumerators(scores, from, count, scale, sink);
        int t = from;
        for (int end = from + F.loopBound(count); t < end; t += LANES) {
            FloatVector.fromArray(F, scores, t).mul(inverse).intoArray(scores, t);
        }
        for (; t < from + count; t++) {
            scores[t] *= inverse;
        }
    }

    /**
     * {@code out[head h] = Σ_t scores[from + h · stride + t] · V[lo + t]} for 4 heads of one row (whose
     * probabilities are at {@code scores[from + h · stride ..]}), {@link #VALUE_PIECE} dims at a time:
     * 16 accumulators, each V vector loaded once for the 4 heads. The sum runs in t order, as the
     * per-head path's. NOTE: only the JDK's force-inlined vector methods are called here (as in
     * {@link BatchLaneTile}): with the stores in a helper of ours, C2 left it out of line, the accumulators
     * crossed the call boxed, and prefill attention ran 1.7× slower than without this path.
     */
    private void weightedValues4(MemorySegment values, long kvHeadOffset, int lo, int count, int headDim, int from,
            int stride, MemorySegment out, long outAt) {
        long headBytes = (long) headDim * Float.BYTES;
        for (int d0 = 0; d0 < headDim; d0 += VALUE_PIECE) {
            FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
            for (int t = 0; t < count; t++) {
                long v = rows[lo + t] + kvHeadOffset + d0 * 4L;
                FloatVector v0 = FloatVector.fromMemorySegment(F, values, v, LE);
                FloatVector v1 = FloatVector.fromMemorySegment(F, values, v + VECTOR_BYTES, LE);
                FloatVector v2 = FloatVector.fromMemorySegment(F, values, v + 2 * VECTOR_BYTES, LE);
                FloatVector v3 = FloatVector.fromMemorySegment(F, values, v + 3 * VECTOR_BYTES, LE);
                FloatVector p = FloatVector.broadcast(F, scores[from + t]);
                a00 = v0.fma(p, a00);
                a01 = v1.fma(p, a01);
                a02 = v2.fma(p, a02);
                a03 = v3.fma(p, a03);
                p = FloatVector.broadcast(F, scores[from + stride + t]);
                a10 = v0.fma(p, a10);
                a11 = v1.fma(p, a11);
                a12 = v2.fma(p, a12);
                a13 = v3.fma(p, a13);
                p = FloatVector.broadcast(F, scores[from + 2 * stride + t]);
                a20 = v0.fma(p, a20);
                a21 = v1.fma(p, a21);
                a22 = v2.fma(p, a22);
                a23 = v3.fma(p, a23);
                p = FloatVector.broadcast(F, scores[from + 3 * stride + t]);
                a30 = v0.fma(p, a30);
                a31 = v1.fma(p, a31);
                a32 = v2.fma(p, a32);
                a33 = v3.fma(p, a33);
            }
            long o = outAt + d0 * 4L;
            a00.intoMemorySegment(out, o, LE);
            a01.intoMemorySegment(out, o + VECTOR_BYTES, LE);
            a02.intoMemorySegment(out, o + 2 * VECTOR_BYTES, LE);
            a03.intoMemorySegment(out, o + 3 * VECTOR_BYTES, LE);
            o += headBytes;
            a10.intoMemorySegment(out, o, LE);
            a11.intoMemorySegment(out, o + VECTOR_BYTES, LE);
            a12.intoMemorySegment(out, o + 2 * VECTOR_BYTES, LE);
            a13.intoMemorySegment(out, o + 3 * VECTOR_BYTES, LE);
            o += headBytes;
            a20.intoMemorySegment(out, o, LE);
            a21.intoMemorySegment(out, o + VECTOR_BYTES, LE);
            a22.intoMemorySegment(out, o + 2 * VECTOR_BYTES, LE);
            a23.intoMemorySegment(out, o + 3 * VECTOR_BYTES, LE);
            o += headBytes;
            a30.intoMemorySegment(out, o, LE);
            a31.intoMemorySegment(out, o + VECTOR_BYTES, LE);
            a32.intoMemorySegment(out, o + 2 * VECTOR_BYTES, LE);
            a33.intoMemorySegment(out, o + 3 * VECTOR_BYTES, LE);
        }
    }

    private void reserve(int headDim, int pairs, int stride, int n) {
        if (keysT.length < headDim * KEYS) {
            keysT = new float[headDim * KEYS];
        }
        if (queries.length < pairs * headDim) {
            queries = new float[pairs * headDim];
        }
        if (scores.length < pairs * stride) {
            scores = new float[Math.max(pairs * stride, 2 * scores.length)];
        }
        if (rows.length < n) {
            rows = new long[Math.max(n, 2 * rows.length)];
        }
    }

    /** {@code keysT[d][j] = K[key k0 + j][d]} for {@code j < m}, zero for the lanes past m. */
    private void transposeKeys(MemorySegment keys, int k0, int m, long kvHeadOffset, int headDim) {
        for (int j = 0; j < KEYS; j++) {
            if (j < m) {
                long src = rows[k0 + j] + kvHeadOffset;
                for (int d = 0; d < headDim; d++) {
                    keysT[d * KEYS + j] = keys.get(F32, src + d * 4L);
                }
            } else {
                for (int d = 0; d < headDim; d++) {
                    keysT[d * KEYS + j] = 0f;
                }
            }
        }
    }

    /** Raw scores of the key block for the 4 (row, head) pairs whose q starts at {@code queries[qAt]}. */
    private void score4(int headDim, int qAt, int at, int stride) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        for (int d = 0; d < headDim; d++) {
            FloatVector k = FloatVector.fromArray(F, keysT, d * KEYS);
            int qd = qAt + d;
            a0 = k.fma(FloatVector.broadcast(F, queries[qd]), a0);
            a1 = k.fma(FloatVector.broadcast(F, queries[qd + headDim]), a1);
            a2 = k.fma(FloatVector.broadcast(F, queries[qd + 2 * headDim]), a2);
            a3 = k.fma(FloatVector.broadcast(F, queries[qd + 3 * headDim]), a3);
        }
        a0.intoArray(scores, at);
        a1.intoArray(scores, at + stride);
        a2.intoArray(scores, at + 2 * stride);
        a3.intoArray(scores, at + 3 * stride);
    }

    private void score1(int headDim, int qAt, int at) {
        FloatVector a = FloatVector.zero(F);
        for (int d = 0; d < headDim; d++) {
            a = FloatVector.fromArray(F, keysT, d * KEYS).fma(FloatVector.broadcast(F, queries[qAt + d]), a);
        }
        a.intoArray(scores, at);
    }
}
