package io.podserve.kernels.routing;

/**
 * Top-k selection as {@code torch.topk} orders it: descending score, equal scores to the lower index.
 *
 * <p>NOTE: an insertion into a sorted list of k, O(n·k) at worst; for n ≤ 256 and k ≤ 8 this beats a
 * heap and allocates nothing. NaN scores are not expected from a router and are never selected.
 */
final class TopK {
    private TopK() {
    }

    /**
     * Indices of the {@code k} largest of {@code scores[0, n)} into {@code idx[0, k)}, skipping those
     * with {@code allowed[i]} false when {@code allowed} is non-null; {@code vals[0, k)} gets their
     * scores. Returns how many were found (less than k only when fewer are allowed).
     */
    static int select(float[] scores, int n, boolean[] allowed, int k, int[] idx, float[] vals) {
        int filled = 0;
        for (int i = 0; i < n; i++) {
            if (allowed != null && !allowed[i]) {
                continue;
            }
            float s = scores[i];
            if (Float.isNaN(s)) {
                continue;
            }
            if (filled == k && !(s > vals[k - 1])) {
                continue; // not strictly better than the worst kept: an equal score keeps the lower index
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && s > vals[pos - 1]) { // strict: ties stay behind earlier indices
                vals[pos] = vals[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            vals[pos] = s;
            idx[pos] = i;
        }
        return filled;
    }
}
