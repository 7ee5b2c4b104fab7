package io.podserve.units.model;

/**
 * The logits a step was asked for: f32 {@code [rows, vocab]}, rows in the order of the step's
 * chunks (every row of a chunk that wanted all, else its last row). A copy, owned by the caller.
 */
public record Logits(float[] values, int rows, int vocab) {

    public float get(int row, int token) {
        return values[row * vocab + token];
    }

    /** Row {@code row} as a new array. */
    public float[] row(int row) {
        float[] out = new float[vocab];
        System.arraycopy(values, row * vocab, out, 0, vocab);
        return out;
    }

    /** The highest-scoring token of a row (lowest id on ties). */
    public int argmax(int row) {
        int best = 0;
        for (int t = 1; t < vocab; t++) {
            if (get(row, t) > get(row, best)) {
                best = t;
            }
        }
        return best;
    }
}
