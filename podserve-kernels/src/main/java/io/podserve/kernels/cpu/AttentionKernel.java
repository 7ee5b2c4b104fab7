package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Paged causal attention of one query row and head over its sequence's cached K/V, as
 * transformers' eager attention computes it: scores {@code q·k · scale} in f32, a max-subtracted
 * softmax (over the scores plus the head's sink logit when there are sinks), then {@code Σ p_t v_t}
 * over the real tokens. The vector path differs from the scalar reference only in the summation
 * order of the dot products and of the weighted V sum. Stateless: callers pass score scratch.
 */
final class AttentionKernel {
    private AttentionKernel() {
    }

    /**
     * Writes head {@code head} of row {@code row} of {@code out}.
     *
     * @param q      f32 {@code [batch, numHeads, headDim]}
     * @param sinks  per-head sink logits, or null
     * @param out    f32 {@code [batch, numHeads, headDim]}
     * @param scores scratch of at least {@code positions[row] + 1} floats
     */
    static void attendHead(AttentionShape shape, KvCache cache, MemorySegment q, int row, int head, int position,
            int[] blockTable, float[] sinks, MemorySegment out, float[] scores, long[] rows, boolean vector) {
        int headDim = shape.headDim();
        long qOffset = ((long) row * shape.numHeads() + head) * headDim * Float.BYTES;
        long kvHeadOffset = (long) (head / shape.groupSize()) * headDim * Float.BYTES;
        int first = shape.firstVisible(position);
        int n = position - first + 1;
        float sink = sinks == null ? Float.NEGATIVE_INFINITY : sinks[head];
        if (vector) {
            attendHeadVector(shape, cache, q, qOffset, kvHeadOffset, first, n, blockTable, sink, out, scores, rows);
            return;
        }
        float scale = shape.scale();
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            long kOffset = cache.rowOffset(blockTable, first + t) + kvHeadOffset;
            scores[t] = dotScalar(q, qOffset, cache.keys(), kOffset, headDim) * scale;
            max = Math.max(max, scores[t]);
        }
        max = Math.max(max, sink);
        float sum = sinks == null ? 0 : (float) Math.exp(sink - max);
        for (int t = 0; t < n; t++) {
            scores[t] = (float) Math.exp(scores[t] - max);
            sum += scores[t];
        }
        out.asSlice(qOffset, (long) headDim * Float.BYTES).fill((byte) 0);
        float inverse = 1 / sum;
        for (int t = 0; t < n; t++) {
            long vOffset = cache.rowOffset(blockTable, first + t) + kvHeadOffset;
            axpyScalar(out, qOffset, cache.values(), vOffset, scores[t] * inverse, headDim);
        }
    }

    /**
     * The vector path of {@link #attendHead}: scores 4 keys at a time (one q load feeds 4 independent
     * FMA chains), the softmax's exponentials as vectors, and the weighted V sum 4 rows at a time (one
     * load and store of the output per 4 rows). NOTE: one key at a time, with a scalar
     * {@code Math.exp} per score and the output loaded and stored per V row, prefill's attention took
     * 21% of a 512-token prefill on the 2-core machine (bench-model --breakdown). The rows' offsets
     * come from one pass over the block table ({@code rows}: scratch of at least n), not a division
     * per key and pass.
     */
    private static void attendHeadVector(AttentionShape shape, KvCache cache, MemorySegment q, long qOffset,
            long kvHeadOffset, int first, int n, int[] blockTable, float sink, MemorySegment out, float[] scores,
            long[] rows) {
        int headDim = shape.headDim();
        MemorySegment keys = cache.keys();
        MemorySegment values = cache.values();
        cache.rowOffsets(blockTable, first, n, rows);
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            dot4Keys(q, qOffset, keys, rows[t] + kvHeadOffset,
                    rows[t + 1] + kvHeadOffset,
                    rows[t + 2] + kvHeadOffset,
                    rows[t + 3] + kvHeadOffset, headDim, scores, t);
        }
        for (; t < n; t++) {
            scores[t] = dotVector(q, qOffset, keys, rows[t] + kvHeadOffset, headDim);
        }
        float inverse = 1 / softmaxNumerators(scores, 0, n, shape.scale(), sink);
        weightedValues(values, rows, 0, kvHeadOffset, scores, 0, n, inverse, headDim, out, qOffset);
    }

    /**
     * Writes {@code Σ_t scores[from + t] · inverse · V[rows[rowFrom + t]]} over {@code t < n} to the
     * {@code headDim} floats at {@code out[outOffset..]}, V rows 4 at a time (one load and store of the
     * output per 4 rows).
     */
    static void weightedValues(MemorySegment values, long[] rows, int rowFrom, long kvHeadOffset, float[] scores,
            int from, int n, float inverse, int headDim, MemorySegment out, long outOffset) {
        out.asSlice(outOffset, (long) headDim * Float.BYTES).fill((byte) 0);
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            int r = rowFrom + t;
            int s = from + t;
            axpy4Rows(out, outOffset, values, rows[r] + kvHeadOffset, rows[r + 1] + kvHeadOffset,
                    rows[r + 2] + kvHeadOffset, rows[r + 3] + kvHeadOffset, scores[s] * inverse,
                    scores[s + 1] * inverse, scores[s + 2] * inverse, scores[s + 3] * inverse, headDim);
        }
        for (; t < n; t++) {
            axpyVector(out, outOffset, values, rows[rowFrom + t] + kvHeadOffset, scores[from + t] * inverse, headDim);
        }
    }

    /**
     * Turns raw dot products {@code scores[from..from + n)} into the softmax's numerators
     * {@code exp(score · scale - max)} in place, max over the scaled scores and the sink logit, and
     * returns their sum plus the sink's {@code exp(sink - max)} (0 without a sink).
     */
    static float softmaxNumerators(float[] scores, int from, int n, float scale, float sink) {
        int to = from + n;
        int end = from + F.loopBound(n);
        FloatVector maxes = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int t = from;
        for (; t < end; t += LANES) {
            FloatVector s = FloatVector.fromArray(F, scores, t).mul(scale);
            s.intoArray(scores, t);
            maxes = maxes.max(s);
        }
        float max = Math.max(maxes.reduceLanes(VectorOperators.MAX), sink);
        for (; t < to; t++) {
            scores[t] *= scale;
            max = Math.max(max, scores[t]);
        }
        FloatVector sums = FloatVector.zero(F);
        t = from;
        for (; t < end; t += LANES) {
            FloatVector e = FloatVector.fromArray(F, scores, t).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(scores, t);
            sums = sums.add(e);
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
        for (; t < to; t++) {
            scores[t] = (float) Math.exp(scores[t] - max);
            sum += scores[t];
        }
        return sink == Float.NEGATIVE_INFINITY ? sum : sum + (float) Math.exp(sink - max);
    }

    /** {@code scores[at + j] = q · k_j} for the 4 key rows at {@code k0..k3}. */
    private static void dot4Keys(MemorySegment q, long qOffset, MemorySegment keys, long k0, long k1, long k2, long k3,
            int n, float[] scores, int at) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            FloatVector u = Simd.f32(q, qOffset + i * 4L);
            a0 = u.fma(Simd.f32(keys, k0 + i * 4L), a0);
            a1 = u.fma(Simd.f32(keys, k1 + i * 4L), a1);
            a2 = u.fma(Simd.f32(keys, k2 + i * 4L), a2);
            a3 = u.fma(Simd.f32(keys, k3 + i * 4L), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float u = q.get(F32, qOffset + i * 4L);
            s0 += u * keys.get(F32, k0 + i * 4L);
            s1 += u * keys.get(F32, k1 + i * 4L);
            s2 += u * keys.get(F32, k2 + i * 4L);
            s3 += u * keys.get(F32, k3 + i * 4L);
        }
        scores[at] = s0;
        scores[at + 1] = s1;
        scores[at + 2] = s2;
        scores[at + 3] = s3;
    }

    /** {@code acc += p0·v0 + p1·v1 + p2·v2 + p3·v3} over {@code n} floats. */
    private static void axpy4Rows(MemorySegment acc, long accOffset, MemorySegment v, long v0, long v1, long v2, long v3,
            float p0, float p1, float p2, float p3, int n) {
        FloatVector w0 = FloatVector.broadcast(F, p0), w1 = FloatVector.broadcast(F, p1);
        FloatVector w2 = FloatVector.broadcast(F, p2), w3 = FloatVector.broadcast(F, p3);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long a = accOffset + i * 4L;
            FloatVector sum = Simd.f32(acc, a);
            sum = Simd.f32(v, v0 + i * 4L).fma(w0, sum);
            sum = Simd.f32(v, v1 + i * 4L).fma(w1, sum);
            sum = Simd.f32(v, v2 + i * 4L).fma(w2, sum);
            sum = Simd.f32(v, v3 + i * 4L).fma(w3, sum);
            sum.intoMemorySegment(acc, a, LE);
        }
        for (; i < n; i++) {
            long a = accOffset + i * 4L;
            float sum = acc.get(F32, a);
            sum += p0 * v.get(F32, v0 + i * 4L);
            sum += p1 * v.get(F32, v1 + i * 4L);
            sum += p2 * v.get(F32, v2 + i * 4L);
            sum += p3 * v.get(F32, v3 + i * 4L);
            acc.set(F32, a, sum);
        }
    }

    private static float dotScalar(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a.get(F32, aOffset + i * 4L) * b.get(F32, bOffset + i * 4L);
        }
        return sum;
    }

    private static float dotVector(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            acc = Simd.f32(a, aOffset + i * 4L).fma(Simd.f32(b, bOffset + i * 4L), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a.get(F32, aOffset + i * 4L) * b.get(F32, bOffset + i * 4L);
        }
        return sum;
    }

    private static void axpyScalar(MemorySegment acc, long accOffset, MemorySegment x, long xOffset, float s, int n) {
        for (int i = 0; i < n; i++) {
            long a = accOffset + i * 4L;
            acc.set(F32, a, acc.get(F32, a) + s * x.get(F32, xOffset + i * 4L));
        }
    }

    private static void axpyVector(MemorySegment acc, long accOffset, MemorySegment x, long xOffset, float s, int n) {
        FloatVector weight = FloatVector.broadcast(F, s);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long a = accOffset + i * 4L;
            Simd.f32(x, xOffset + i * 4L).fma(weight, Simd.f32(acc, a)).intoMemorySegment(acc, a, LE);
        }
        for (; i < n; i++) {
            long a = accOffset + i * 4L;
            acc.set(F32, a, acc.get(F32, a) + s * x.get(F32, xOffset + i * 4L));
        }
    }
}
