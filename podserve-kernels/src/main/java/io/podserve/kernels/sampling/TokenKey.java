package io.podserve.kernels.sampling;

/**
 * Packs a (value, token id) pair into one {@code long} whose signed order is the value's order,
 * ties broken towards the lower id. Selecting and sorting candidates then works on a single
 * primitive array: no boxing, no comparator, no parallel arrays to keep in step.
 */
final class TokenKey {
    private TokenKey() {
    }

    static long of(float value, int token) {
        return ((long) orderedBits(value) << 32) | (Integer.MAX_VALUE - token);
    }

    static int token(long key) {
        return Integer.MAX_VALUE - (int) key;
    }

    static float value(long key) {
        return Float.intBitsToFloat(orderedBits((int) (key >>> 32)));
    }

    // Flips the magnitude bits of negative floats so that signed int order equals float order;
    // the mapping is its own inverse. NaN has no defined place (logits are never NaN here).
    private static int orderedBits(float value) {
        return orderedBits(Float.floatToRawIntBits(value));
    }

    private static int orderedBits(int bits) {
        return bits ^ ((bits >> 31) & Integer.MAX_VALUE);
    }
}
