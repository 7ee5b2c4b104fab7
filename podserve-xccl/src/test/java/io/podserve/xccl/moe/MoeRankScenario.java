package io.podserve.xccl.moe;

import io.podserve.xccl.Communicator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One rank's part of a dispatch/combine check: random tokens, random distinct top-k routing and gates per
 * step, a toy expert {@code f_e(x) = (1 + e % 4) * x + e / 1000}, and the combined output compared with
 * {@code sum_k g_k f_{e_k}(x)} computed directly. With int8 the allowed error per element is
 * {@code sum_k |g_k| (1 + e_k % 4) scale / 2} (scale = max|x| / 127 of the token's row), plus float rounding.
 */
public final class MoeRankScenario {

    private MoeRankScenario() {
    }

    /** {@code spec}: hidden,topK,numExperts,maxTokens,NONE|INT8,steps. */
    public static void run(Communicator c, String spec) {
        String[] f = spec.split(",");
        MoeShape shape = new MoeShape(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Integer.parseInt(f[3]), MoeShape.Quantization.valueOf(f[4]));
        int steps = Integer.parseInt(f[5]);
        int hidden = shape.hidden();
        int topK = shape.topK();
        Random rnd = new Random(17 + c.rank());
        try (Arena arena = Arena.ofConfined(); MoeExchange moe = new MoeExchange(c, shape)) {
            MemorySegment x = arena.allocate(JAVA_FLOAT, Math.max(1, (long) shape.maxTokens() * hidden));
            MemorySegment ids = arena.allocate(JAVA_INT, Math.max(1, (long) shape.maxTokens() * topK));
            MemorySegment gates = arena.allocate(JAVA_FLOAT, Math.max(1, (long) shape.maxTokens() * topK));
            MemorySegment out = arena.allocate(JAVA_FLOAT, Math.max(1, (long) shape.maxTokens() * hidden));
            MemorySegment expertOut = arena.allocate(JAVA_FLOAT,
                    Math.max(1, (long) c.worldSize() * shape.maxRowsPerRank(c.worldSize()) * hidden));
            for (int step = 0; step < steps; step++) {
                // Step 0 sends nothing from odd ranks: empty messages must work too.
                int numTokens = step == 0 && c.rank() % 2 == 1 ? 0 : rnd.nextInt(shape.maxTokens() + 1);
                SyntheticBatch.fill(rnd, shape, numTokens, x, ids, gates);
                int numRows = moe.dispatch(x, numTokens, ids, gates);
                for (int row = 0; row < numRows; row++) {
                    int e = moe.receivedExpert(row);
                    check(moe.rankOf(e) == c.rank(), "rank " + c.rank() + " got a row for expert " + e);
                    for (int h = 0; h < hidden; h++) {
                        long i = (long) row * hidden + h;
                        expertOut.setAtIndex(JAVA_FLOAT, i, expert(e, moe.receivedRows().getAtIndex(JAVA_FLOAT, i)));
                    }
                }
                moe.combine(expertOut, out);
                compare(shape, numTokens, x, ids, gates, out, step, c.rank());
            }
        }
    }

    static float expert(int e, float v) {
        return (1 + e % 4) * v + e / 1000f;
    }

    static void compare(MoeShape shape, int numTokens, MemorySegment x, MemorySegment ids, MemorySegment gates,
                        MemorySegment out, int step, int rank) {
        int hidden = shape.hidden();
        int topK = shape.topK();
        for (int t = 0; t < numTokens; t++) {
            float amax = 0;
            for (int h = 0; h < hidden; h++) {
                amax = Math.max(amax, Math.abs(x.getAtIndex(JAVA_FLOAT, (long) t * hidden + h)));
            }
            float halfStep = shape.quantization() == MoeShape.Quantization.INT8 ? amax / 127f / 2 : 0;
            for (int h = 0; h < hidden; h++) {
                float v = x.getAtIndex(JAVA_FLOAT, (long) t * hidden + h);
                double want = 0;
                double bound = 0;
                for (int k = 0; k < topK; k++) {
                    int e = ids.getAtIndex(JAVA_INT, (long) t * topK + k);
                    float g = gates.getAtIndex(JAVA_FLOAT, (long) t * topK + k);
                    want += g * expert(e, v);
                    bound += Math.abs(g) * (1 + e % 4) * halfStep;
                }
                float got = out.getAtIndex(JAVA_FLOAT, (long) t * hidden + h);
                double tolerance = bound * 1.001 + 1e-5 * (1 + Math.abs(want));
                check(Math.abs(got - want) <= tolerance, "step " + step + " rank " + rank + " token " + t + " dim " + h
                        + ": combined " + got + ", direct " + want + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
