package io.podserve.kernels.mla;

import io.podserve.kernels.Weights;

/**
 * transformers' non-absorbed MLA for one query row, in double, over plain arrays: up-project every
 * cached latent to per-head keys and values, then ordinary attention. Independent of the cache's
 * paging and of the absorbed algebra.
 */
final class MlaReference {
    private MlaReference() {
    }

    /**
     * @param qNope   [numHeads][nopeDim] of the query row
     * @param qPe     [numHeads][ropeDim], rotated
     * @param latents [context][kvLoraRank + ropeDim]: the sequence's cached rows, positions 0..p
     * @return [numHeads][vDim]
     */
    static double[][] attend(MlaShape shape, Weights kvB, float[][] qNope, float[][] qPe, float[][] latents,
            double softmaxScale) {
        int context = latents.length;
        double[][] out = new double[shape.numHeads()][shape.vDim()];
        for (int h = 0; h < shape.numHeads(); h++) {
            double[][] kNope = upProject(shape, kvB, latents, h * shape.kvBRowsPerHead(), shape.nopeDim());
            double[][] v = upProject(shape, kvB, latents, h * shape.kvBRowsPerHead() + shape.nopeDim(), shape.vDim());
            double[] scores = new double[context];
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < context; t++) {
                double s = 0;
                for (int i = 0; i < shape.nopeDim(); i++) {
                    s += qNope[h][i] * kNope[t][i];
                }
                for (int i = 0; i < shape.ropeDim(); i++) {
                    s += qPe[h][i] * (double) latents[t][shape.kvLoraRank() + i]; // k_pe, shared by heads
                }
                scores[t] = s * softmaxScale;
                max = Math.max(max, scores[t]);
            }
            double sum = 0;
            for (int t = 0; t < context; t++) {
                scores[t] = Math.exp(scores[t] - max);
                sum += scores[t];
            }
            for (int t = 0; t < context; t++) {
                for (int j = 0; j < shape.vDim(); j++) {
                    out[h][j] += scores[t] / sum * v[t][j];
                }
            }
        }
        return out;
    }

    /** {@code [t][i] = Σ_c kvB[firstRow + i][c] · c_kv[t][c]} for {@code i < n}. */
    private static double[][] upProject(MlaShape shape, Weights kvB, float[][] latents, int firstRow, int n) {
        double[][] result = new double[latents.length][n];
        for (int t = 0; t < latents.length; t++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int c = 0; c < shape.kvLoraRank(); c++) {
                    s += kvB.get(firstRow + i, c) * (double) latents[t][c];
                }
                result[t][i] = s;
            }
        }
        return result;
    }
}
