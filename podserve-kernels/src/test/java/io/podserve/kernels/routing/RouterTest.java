package io.podserve.kernels.routing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.podserve.kernels.routing.RoutingMethod.GROUPED_SIGMOID;
import static io.podserve.kernels.routing.RoutingMethod.SOFTMAX_TOPK;
import static io.podserve.kernels.routing.RoutingMethod.SOFTMAX_TOPK_RENORM;
import static io.podserve.kernels.routing.RoutingMethod.TOPK_THEN_SOFTMAX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Router} against {@link RouterReference} over random logits, and small cases worked by hand.
 * Both sides compute the same f32 scores, so chosen experts must match exactly; weights within 1e-6.
 */
class RouterTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int[] BATCHES = {1, 3, 7};

    @ParameterizedTest
    @EnumSource(RoutingMethod.class)
    void matchesReferenceOverRandomLogits(RoutingMethod method) {
        Random random = new Random(method.ordinal() + 17);
        for (int numExperts : new int[] {8, 16, 128, 256}) {
            for (int topK : new int[] {2, 4, 8}) {
                check(new RoutingParams(method, numExperts, topK, 1, 1, 1f, true), random);
                if (method == GROUPED_SIGMOID) {
                    check(new RoutingParams(method, numExperts, topK, 1, 1, 2.5f, false), random);
                    if (numExperts >= 16) { // 8 groups of at least 2
                        check(new RoutingParams(method, numExperts, topK, 8, 4, 2.5f, true), random);
                        check(new RoutingParams(method, numExperts, topK, 8, 4, 1f, false), random);
                    }
                }
            }
        }
    }

    private static void check(RoutingParams p, Random random) {
        for (int batch : BATCHES) {
            float[] logits = new float[batch * p.numExperts()];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) random.nextGaussian() * 2f;
            }
            float[] bias = random.nextBoolean() ? null : randomBias(random, p.numExperts());
            Result actual = route(p, logits, batch, bias);
            for (int b = 0; b < batch; b++) {
                float[] row = Arrays.copyOfRange(logits, b * p.numExperts(), (b + 1) * p.numExperts());
                RouterReference.Choice expected = RouterReference.route(p, row, bias);
                String where = p + " batch " + batch + " row " + b;
                assertArrayEquals(expected.ids(), Arrays.copyOfRange(actual.ids, b * p.topK(), (b + 1) * p.topK()), where);
                assertArrayEquals(expected.weights(), Arrays.copyOfRange(actual.weights, b * p.topK(), (b + 1) * p.topK()),
                        1e-6f, where);
            }
        }
    }

    private static float[] randomBias(Random random, int n) {
        float[] bias = new float[n];
        for (int i = 0; i < n; i++) {
            bias[i] = (random.nextFloat() - 0.5f) * 0.4f;
        }
        return bias;
    }

    @Test
    void softmaxTopKByHand() {
        float ln2 = (float) Math.log(2);
        float[] logits = {0f, ln2, 2 * ln2, 0f}; // exp: 1, 2, 4, 1; probs 1/8, 1/4, 1/2, 1/8
        Result plain = route(new RoutingParams(SOFTMAX_TOPK, 4, 2, 1, 1, 1f, false), logits, 1, null);
        assertArrayEquals(new int[] {2, 1}, plain.ids);
        assertArrayEquals(new float[] {0.5f, 0.25f}, plain.weights, 1e-6f);
        Result renorm = route(new RoutingParams(SOFTMAX_TOPK_RENORM, 4, 2, 1, 1, 1f, false), logits, 1, null);
        assertArrayEquals(new int[] {2, 1}, renorm.ids);
        assertArrayEquals(new float[] {2f / 3, 1f / 3}, renorm.weights, 1e-6f);
    }

    @Test
    void topKThenSoftmaxByHand() {
        float[] logits = {0.5f, 2f, -1f, 2f + (float) Math.log(3)}; // top 2: experts 3, 1; e^ln3 : 1
        Result r = route(new RoutingParams(TOPK_THEN_SOFTMAX, 4, 2, 1, 1, 1f, false), logits, 1, null);
        assertArrayEquals(new int[] {3, 1}, r.ids);
        assertArrayEquals(new float[] {0.75f, 0.25f}, r.weights, 1e-6f);
    }

    @Test
    void tiesGoToTheLowerExpertIndex() {
        Result equal = route(new RoutingParams(SOFTMAX_TOPK, 4, 2, 1, 1, 1f, false), new float[] {1, 1, 1, 1}, 1, null);
        assertArrayEquals(new int[] {0, 1}, equal.ids);
        assertArrayEquals(new float[] {0.25f, 0.25f}, equal.weights, 1e-6f);
        Result pairs = route(new RoutingParams(TOPK_THEN_SOFTMAX, 4, 3, 1, 1, 1f, false), new float[] {5, 7, 7, 5}, 1, null);
        assertArrayEquals(new int[] {1, 2, 0}, pairs.ids);
        float[] tiedAtEnd = {3, 1, 2, 2, 2};
        Result last = route(new RoutingParams(TOPK_THEN_SOFTMAX, 5, 2, 1, 1, 1f, false), tiedAtEnd, 1, null);
        assertArrayEquals(new int[] {0, 2}, last.ids);
    }

    @Test
    void groupedSigmoidByHand() {
        // 4 groups of 2, keep 2. Scores: sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4 for expert 5.
        float[] logits = {0, 0, 0, 0, 0, (float) Math.log(3), 0, 0};
        float[] bias = {0.1f, 0f, 0.3f, 0.3f, 0f, 0.5f, 0.2f, 0.2f};
        // choice .6 .5 | .8 .8 | .5 1.25 | .7 .7 -> group sums 1.1, 1.6, 1.75, 1.4: keep groups 1 and 2;
        // best choices there: expert 5 (1.25), then 2 and 3 tie at .8 -> expert 2.
        Result raw = route(new RoutingParams(GROUPED_SIGMOID, 8, 2, 4, 2, 2.5f, false), logits, 1, bias);
        assertArrayEquals(new int[] {5, 2}, raw.ids);
        assertArrayEquals(new float[] {0.75f * 2.5f, 0.5f * 2.5f}, raw.weights, 1e-6f); // unbiased scores
        Result norm = route(new RoutingParams(GROUPED_SIGMOID, 8, 2, 4, 2, 2.5f, true), logits, 1, bias);
        assertArrayEquals(new int[] {5, 2}, norm.ids);
        assertArrayEquals(new float[] {0.6f * 2.5f, 0.4f * 2.5f}, norm.weights, 1e-6f);
    }

    @Test
    void droppedGroupsAreNeverChosen() {
        // choice 1.4 0 | .9 .9 | .8 .8 | .5 .5 -> sums 1.4, 1.8, 1.6, 1.0: expert 0, the best single
        // expert, sits in a dropped group.
        float[] bias = {0.9f, -0.5f, 0.4f, 0.4f, 0.3f, 0.3f, 0f, 0f};
        Result r = route(new RoutingParams(GROUPED_SIGMOID, 8, 3, 4, 2, 1f, true), new float[8], 1, bias);
        assertArrayEquals(new int[] {2, 3, 4}, r.ids);
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3}, r.weights, 1e-6f);
    }

    @Test
    void rejectsInconsistentParams() {
        assertThrows(IllegalArgumentException.class, () -> new RoutingParams(SOFTMAX_TOPK, 8, 9, 1, 1, 1f, false));
        assertThrows(IllegalArgumentException.class, () -> new RoutingParams(GROUPED_SIGMOID, 10, 2, 4, 2, 1f, true));
        assertThrows(IllegalArgumentException.class, () -> new RoutingParams(GROUPED_SIGMOID, 8, 2, 8, 2, 1f, true));
        assertThrows(IllegalArgumentException.class, () -> new RoutingParams(GROUPED_SIGMOID, 16, 5, 8, 2, 1f, true));
        assertThrows(IllegalArgumentException.class, () -> new RoutingParams(SOFTMAX_TOPK, 16, 2, 8, 2, 1f, false));
        assertEquals(32, new RoutingParams(GROUPED_SIGMOID, 256, 8, 8, 4, 2.5f, true).groupSize());
    }

    private record Result(int[] ids, float[] weights) {
    }

    private static Result route(RoutingParams p, float[] logits, int batch, float[] bias) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) logits.length * Float.BYTES);
            MemorySegment.copy(logits, 0, seg, F32, 0, logits.length);
            Result r = new Result(new int[batch * p.topK()], new float[batch * p.topK()]);
            Router.route(p, seg, batch, bias, r.ids, r.weights);
            return r;
        }
    }
}
