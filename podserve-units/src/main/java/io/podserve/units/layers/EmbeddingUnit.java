package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.TokenIds;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * Token ids to the residual stream: row {@code id} of {@code embed_tokens}, widened to f32 (exact
 * for BF16). Owned by the executor thread.
 */
public final class EmbeddingUnit implements Unit<TokenIds, Hidden> {
    private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Weights embedTokens; // [vocab, hidden]
    private final Scratch scratch = new Scratch(1);

    public EmbeddingUnit(Weights embedTokens) {
        this.embedTokens = embedTokens;
    }

    @Override
    public Hidden forward(Step step, TokenIds input) {
        int hidden = embedTokens.cols();
        MemorySegment out = scratch.floats(0, (long) input.rows() * hidden);
        for (int r = 0; r < input.rows(); r++) {
            int id = input.ids()[r];
            if (id < 0 || id >= embedTokens.rows()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + embedTokens.rows());
            }
            copyRow(id, out, (long) r * hidden);
        }
        return new Hidden(out, input.rows(), hidden);
    }

    /** Row {@code id} widened to f32 at float index {@code base} of {@code out}. */
    private void copyRow(int id, MemorySegment out, long base) {
        int hidden = embedTokens.cols();
        if (embedTokens.format() == WeightFormat.BF16) {
            long from = (long) id * hidden;
            for (int i = 0; i < hidden; i++) {
                out.setAtIndex(Hidden.F32, base + i, Weights.bf16ToFloat(embedTokens.data().getAtIndex(BF16, from + i)));
            }
        } else {
            for (int i = 0; i < hidden; i++) {
                out.setAtIndex(Hidden.F32, base + i, embedTokens.get(id, i));
            }
        }
    }

    @Override
    public String name() {
        return "embed_tokens";
    }
}
