package io.podserve.kernels;

/**
 * Which elements of a head rotate together with frequency {@code j} ({@code d} = rotary dim).
 * Both q and k must use the same layout; q·k is then the same under either.
 */
public enum RopeLayout {
    /** Pairs {@code (j, j + d/2)}: transformers' {@code rotate_half} (Llama, Qwen, Mixtral, GPT-OSS). */
    HALVES,
    /**
     * Pairs {@code (2j, 2j + 1)}, rotated in place: DeepSeek's reference (complex multiply). NOTE:
     * transformers' DeepSeek-V3 port also moves the results into halves order; that permutation is
     * the same for q and k, so attention scores do not change and we keep the pairs where they are.
     */
    INTERLEAVED
}
