package io.podserve.xccl.moe;

import java.lang.foreign.MemorySegment;
import java.util.random.RandomGenerator;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Random inputs for a dispatch, for tests and benchmarks: Gaussian activations, top-k distinct experts drawn
 * uniformly per token (so load is balanced only on average), gate weights uniform in [0, 1).
 */
public final class SyntheticBatch {

    private SyntheticBatch() {
    }

    /**
     * @param x     [numTokens, hidden] f32, filled
     * @param ids   [numTokens, topK] int32, filled
     * @param gates [numTokens, topK] f32, filled
     */
    public static void fill(RandomGenerator rnd, MoeShape shape, int numTokens, MemorySegment x, MemorySegment ids,
                            MemorySegment gates) {
        int topK = shape.topK();
        for (long i = 0; i < (long) numTokens * shape.hidden(); i++) {
            x.setAtIndex(JAVA_FLOAT, i, (float) rnd.nextGaussian());
        }
        int[] perm = new int[shape.numExperts()];
        for (int t = 0; t < numTokens; t++) {
            for (int e = 0; e < perm.length; e++) {
                perm[e] = e;
            }
            for (int k = 0; k < topK; k++) {      // a partial Fisher-Yates shuffle picks k distinct experts
                int j = k + rnd.nextInt(perm.length - k);
                int tmp = perm[k];
                perm[k] = perm[j];
                perm[j] = tmp;
                ids.setAtIndex(JAVA_INT, (long) t * topK + k, perm[k]);
                gates.setAtIndex(JAVA_FLOAT, (long) t * topK + k, rnd.nextFloat());
            }
        }
    }
}
