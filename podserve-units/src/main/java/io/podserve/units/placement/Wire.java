package io.podserve.units.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.podserve.units.Activation;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Activation.TokenIds;

/**
 * The byte form of an {@link Activation}: a one-byte tag, then the record's fields, little-endian,
 * floats as their exact bits. Only the used part of pooled buffers travels ({@code rows × cols}
 * floats, {@code rows × topK} routing entries). Stateless.
 */
public final class Wire {
    private static final byte TOKEN_IDS = 1;
    private static final byte HIDDEN = 2;
    private static final byte ROUTED = 3;

    private Wire() {
    }

    /** Encodes into a fresh array. */
    public static byte[] encode(Activation activation) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size(activation))).order(ByteOrder.LITTLE_ENDIAN);
        put(out, activation);
        return out.array();
    }

    /** Decodes into fresh arrays and segments (of an automatic arena). */
    public static Activation decode(byte[] bytes) {
        return get(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static long size(Activation activation) {
        return 1 + switch (activation) {
            case TokenIds t -> 4 + 4L * t.rows();
            case Hidden h -> 8 + h.byteSize();
            case Routed r -> size(r.residual()) + size(r.normed()) + 4 + 8L * r.residual().rows() * r.topK();
        };
    }

    private static void put(ByteBuffer out, Activation activation) {
        switch (activation) {
            case TokenIds t -> {
                out.put(TOKEN_IDS).putInt(t.rows());
                out.asIntBuffer().put(t.ids(), 0, t.rows());
                out.position(out.position() + 4 * t.rows());
            }
            case Hidden h -> {
                out.put(HIDDEN).putInt(h.rows()).putInt(h.cols());
                MemorySegment.ofBuffer(out).asSlice(0, h.byteSize()).copyFrom(h.data().asSlice(0, h.byteSize()));
                out.position(Math.toIntExact(out.position() + h.byteSize()));
            }
            case Routed r -> {
                out.put(ROUTED);
                put(out, r.residual());
                put(out, r.normed());
                int n = r.residual().rows() * r.topK();
                out.putInt(r.topK());
                out.asIntBuffer().put(r.expertIds(), 0, n);
                out.position(out.position() + 4 * n);
                out.asFloatBuffer().put(r.weights(), 0, n);
                out.position(out.position() + 4 * n);
            }
        }
    }

    private static Activation get(ByteBuffer in) {
        byte tag = in.get();
        return switch (tag) {
            case TOKEN_IDS -> {
                int rows = in.getInt();
                int[] ids = new int[rows];
                in.asIntBuffer().get(ids);
                in.position(in.position() + 4 * rows);
                yield new TokenIds(ids, rows);
            }
            case HIDDEN -> {
                int rows = in.getInt();
                int cols = in.getInt();
                long bytes = (long) rows * cols * Float.BYTES;
                MemorySegment data = Arena.ofAuto().allocate(bytes, 64);
                data.copyFrom(MemorySegment.ofBuffer(in).asSlice(0, bytes));
                in.position(Math.toIntExact(in.position() + bytes));
                yield new Hidden(data, rows, cols);
            }
            case ROUTED -> {
                Hidden residual = (Hidden) get(in);
                Hidden normed = (Hidden) get(in);
                int topK = in.getInt();
                int n = residual.rows() * topK;
                int[] ids = new int[n];
                float[] weights = new float[n];
                in.asIntBuffer().get(ids);
                in.position(in.position() + 4 * n);
                in.asFloatBuffer().get(weights);
                in.position(in.position() + 4 * n);
                yield new Routed(residual, normed, topK, ids, weights);
            }
            default -> throw new IllegalArgumentException("unknown activation tag " + tag);
        };
    }
}
