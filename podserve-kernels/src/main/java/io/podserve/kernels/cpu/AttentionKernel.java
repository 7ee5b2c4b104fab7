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
            int[] blockTable, float[] sinks, MemorySegment out, float[] scores, boolean vector) {
        int headDim = shape.headDim();
        long qOffset = ((long) row * shape.numHeads() + head) * headDim * Float.BYTES;
        long kvHeadOffset = (long) (head / shape.groupSize()) * headDim * Float.BYTES;
        int first = shape.firstVisible(position);
        int n = position - first + 1;
        float scale = shape.scale();
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            long kOffset = cache.rowOffset(blockTable, first + t) + kvHeadOffset;
            float dot = vector ? dotVector(q, qOffset, cache.keys(), kOffset, headDim)
                    : dotScalar(q, qOffset, cache.keys(), kOffset, headDim);
            scores[t] = dot * scale;
            max = Math.max(max, scores[t]);
        }
        float sink = sinks == null ? Float.NEGATIVE_INFINITY : sinks[head];
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
            float p = scores[t] * inverse;
            if (vector) {
                axpyVector(out, qOffset, cache.values(), vOffset, p, headDim);
            } else {
                axpyScalar(out, qOffset, cache.values(), vOffset, p, headDim);
            }
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
