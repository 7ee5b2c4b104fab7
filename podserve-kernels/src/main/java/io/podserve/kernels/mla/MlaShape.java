package io.podserve.kernels.mla;

import io.podserve.kernels.Weights;

/**
 * The dimensions of one MLA layer, named as DeepSeek-V3's config names them.
 *
 * @param numHeads   attention heads ({@code num_attention_heads})
 * @param kvLoraRank latent width ({@code kv_lora_rank}, 512 in V3)
 * @param nopeDim    per-head query/key width without rotary ({@code qk_nope_head_dim}, 128)
 * @param ropeDim    per-head rotary width, shared by all heads on the key side
 *                   ({@code qk_rope_head_dim}, 64)
 * @param vDim       per-head value width ({@code v_head_dim}, 128)
 */
public record MlaShape(int numHeads, int kvLoraRank, int nopeDim, int ropeDim, int vDim) {

    public MlaShape {
        if (numHeads < 1 || kvLoraRank < 1 || nopeDim < 1 || ropeDim < 1 || vDim < 1) {
            throw new IllegalArgumentException("MLA dimensions must be >= 1: " + numHeads + " heads, kvLoraRank "
                    + kvLoraRank + ", nope " + nopeDim + ", rope " + ropeDim + ", v " + vDim);
        }
    }

    /** Floats per cached token: the latent {@code c_kv}, then the rope key {@code k_pe}. */
    public int rowWidth() {
        return kvLoraRank + ropeDim;
    }

    /** Rows of {@code kv_b_proj} per head: {@code W_UK[h]} ({@code nopeDim} rows), then {@code W_UV[h]}. */
    public int kvBRowsPerHead() {
        return nopeDim + vDim;
    }

    /** Throws unless {@code kvB} is {@code kv_b_proj} of this shape: {@code [numHeads·(nope+v), kvLoraRank]}. */
    public void checkKvB(Weights kvB) {
        if (kvB.rows() != numHeads * kvBRowsPerHead() || kvB.cols() != kvLoraRank) {
            throw new IllegalArgumentException("kv_b_proj must be " + numHeads * kvBRowsPerHead() + "×" + kvLoraRank
                    + ", got " + kvB.rows() + "×" + kvB.cols());
        }
    }
}
