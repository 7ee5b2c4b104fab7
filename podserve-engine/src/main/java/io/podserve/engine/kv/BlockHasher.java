package io.podserve.engine.kv;

/**
 * Chained 64-bit hashes of full KV blocks: a block's hash covers its tokens and its parent's
 * hash, so equal hashes mean equal prefixes (up to a collision, which the cache guards against by
 * comparing tokens). Stateless.
 */
final class BlockHasher {
    /** The parent hash of a sequence's first block. */
    static final long ROOT = 0x9E3779B97F4A7C15L;

    private BlockHasher() {
    }

    /** Hash of {@code tokens[from, from + blockSize)} following a block of hash {@code parent}. */
    static long hash(long parent, int[] tokens, int from, int blockSize) {
        long h = mix(parent ^ blockSize);
        for (int i = from; i < from + blockSize; i++) {
            h = mix(h ^ (tokens[i] & 0xFFFFFFFFL));
        }
        return h;
    }

    /** A 64-bit finalizer (splitmix64): every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
