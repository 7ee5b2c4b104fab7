package io.podserve.xccl.moe;

import io.podserve.xccl.Communicator;
import io.podserve.xccl.Request;
import io.podserve.xccl.Tags;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.podserve.xccl.moe.DispatchDescriptor.*;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * MoE dispatch and combine for one layer shape over a communicator. Owned by the communicator's thread;
 * every buffer is allocated once, here, for the largest batch, so a step allocates nothing.
 *
 * <p>One step: {@link #dispatch} sends each (token, k) pair's activation row, expert id and gate weight to
 * the rank owning the expert and returns how many rows arrived here; the caller runs its experts over
 * {@link #receivedRows()} (row i for expert {@link #receivedExpert(int)}) into an output of the same shape;
 * {@link #combine} multiplies each result by its gate, sends it back, and sums each token's k results.
 *
 * <p>Each source sends every expert rank one message per step, empty or not, so a receiver always knows how
 * many messages to wait for and takes its row count from the message.
 */
public final class MoeExchange implements AutoCloseable {

    private final Communicator comm;
    private final MoeShape shape;
    private final int worldSize;
    private final int expertsPerRank;
    private final int maxRows;                   // per (source, destination) pair
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] outgoing;      // [worldSize] dispatch messages; combine replies land here
    private final MemorySegment[] incoming;      // [worldSize] dispatch messages; combine replies leave from here
    private final int[][] sentSlots;             // [worldSize][maxRows] token * topK + k of each row sent
    private final int[] numSent;                 // [worldSize]
    private final int[] receivedStart;           // [worldSize + 1] first received row per source
    private final MemorySegment receivedRows;    // [worldSize * maxRows, hidden] f32
    private final MemorySegment receivedExperts; // [worldSize * maxRows] int32
    private final MemorySegment receivedGates;   // [worldSize * maxRows] f32
    private final Request[] requests;            // this step's sends and receives, 2 per peer
    private int numTokens;

    public MoeExchange(Communicator comm, MoeShape shape) {
        this.comm = comm;
        this.shape = shape;
        this.worldSize = comm.worldSize();
        if (shape.numExperts() % worldSize != 0) {
            throw new IllegalArgumentException(shape.numExperts() + " experts do not split evenly over "
                    + worldSize + " ranks");
        }
        this.expertsPerRank = shape.numExperts() / worldSize;
        this.maxRows = shape.maxRowsPerRank(worldSize);
        long messageBytes = Math.max(messageBytes(maxRows, shape.hidden(), shape.int8()),
                (long) maxRows * shape.hidden() * Float.BYTES);
        outgoing = new MemorySegment[worldSize];
        incoming = new MemorySegment[worldSize];
        sentSlots = new int[worldSize][maxRows];
        for (int r = 0; r < worldSize; r++) {
            outgoing[r] = arena.allocate(messageBytes, ROWS_ALIGNMENT);
            incoming[r] = arena.allocate(messageBytes, ROWS_ALIGNMENT);
        }
        numSent = new int[worldSize];
        receivedStart = new int[worldSize + 1];
        long allRows = (long) worldSize * maxRows;
        receivedRows = arena.allocate(Math.max(1, allRows * shape.hidden() * Float.BYTES), ROWS_ALIGNMENT);
        receivedExperts = arena.allocate(Math.max(1, allRows * Integer.BYTES));
        receivedGates = arena.allocate(Math.max(1, allRows * Float.BYTES));
        requests = new Request[2 * worldSize];
    }

    public MoeShape shape() {
        return shape;
    }

    /** The rank that owns {@code expert}. */
    public int rankOf(int expert) {
        return expert / expertsPerRank;
    }

    /**
     * Sends each token's rows to its experts' ranks and receives the rows routed here.
     *
     * @param x         [numTokens, hidden] f32 activations
     * @param expertIds [numTokens, topK] int32, distinct within a token
     * @param gates     [numTokens, topK] f32
     * @return the number of rows received, in {@link #receivedRows()}
     */
    public int dispatch(MemorySegment x, int numTokens, MemorySegment expertIds, MemorySegment gates) {
        if (numTokens < 0 || numTokens > shape.maxTokens()) {
            throw new IllegalArgumentException(numTokens + " tokens: this exchange holds at most " + shape.maxTokens());
        }
        this.numTokens = numTokens;
        route(numTokens, expertIds);
        int count = 0;
        for (int r = 0; r < worldSize; r++) {
            if (r == comm.rank()) {
                pack(r, incoming[r], x, gates, expertIds);     // rows for our own experts skip the transport
                continue;
            }
            pack(r, outgoing[r], x, gates, expertIds);
            requests[count++] = comm.irecvTagged(r, Tags.DISPATCH, incoming[r], 0, incoming[r].byteSize());
            requests[count++] = comm.isendTagged(r, Tags.DISPATCH, outgoing[r], 0,
                    messageBytes(numSent[r], shape.hidden(), shape.int8()));
        }
        comm.awaitAll(requests, count);
        return unpack();
    }

    /** Counts rows per destination and remembers which (token, k) each one is. */
    private void route(int numTokens, MemorySegment expertIds) {
        java.util.Arrays.fill(numSent, 0);
        int topK = shape.topK();
        for (int slot = 0; slot < numTokens * topK; slot++) {
            int expert = expertIds.getAtIndex(JAVA_INT, slot);
            if (expert < 0 || expert >= shape.numExperts()) {
                throw new IllegalArgumentException("token " + slot / topK + " routes to expert " + expert
                        + ", outside 0.." + (shape.numExperts() - 1));
            }
            int r = rankOf(expert);
            if (numSent[r] == maxRows) {
                throw new IllegalArgumentException("token " + slot / topK + " sends rank " + r + " more rows than "
                        + "its experts allow: are a token's expert ids distinct?");
            }
            sentSlots[r][numSent[r]++] = slot;
        }
    }

    private void pack(int r, MemorySegment m, MemorySegment x, MemorySegment gates, MemorySegment expertIds) {
        int n = numSent[r];
        int hidden = shape.hidden();
        boolean int8 = shape.int8();
        long gatesAt = gatesOffset(n);
        long scalesAt = scalesOffset(n);
        long rowsAt = rowsOffset(n, int8);
        long rowBytes = rowBytes(hidden, int8);
        m.set(JAVA_INT, NUM_ROWS_OFFSET, n);
        for (int i = 0; i < n; i++) {
            int slot = sentSlots[r][i];
            long token = slot / shape.topK();
            m.set(JAVA_INT, EXPERT_IDS_OFFSET + 4L * i, expertIds.getAtIndex(JAVA_INT, slot));
            m.set(JAVA_FLOAT, gatesAt + 4L * i, gates.getAtIndex(JAVA_FLOAT, slot));
            long src = token * hidden * Float.BYTES;
            if (int8) {
                m.set(JAVA_FLOAT, scalesAt + 4L * i, Int8Rows.quantize(x, src, m, rowsAt + i * rowBytes, hidden));
            } else {
                MemorySegment.copy(x, src, m, rowsAt + i * rowBytes, rowBytes);
            }
        }
    }

    /** Lays the received rows out contiguously, source by source, dequantizing if needed. */
    private int unpack() {
        int hidden = shape.hidden();
        boolean int8 = shape.int8();
        long rowF32 = (long) hidden * Float.BYTES;
        int row = 0;
        for (int s = 0; s < worldSize; s++) {
            MemorySegment m = incoming[s];
            int n = m.get(JAVA_INT, NUM_ROWS_OFFSET);
            receivedStart[s] = row;
            MemorySegment.copy(m, EXPERT_IDS_OFFSET, receivedExperts, 4L * row, 4L * n);
            MemorySegment.copy(m, gatesOffset(n), receivedGates, 4L * row, 4L * n);
            long rowsAt = rowsOffset(n, int8);
            if (int8) {
                for (int i = 0; i < n; i++) {
                    Int8Rows.dequantize(m, rowsAt + (long) i * hidden, m.get(JAVA_FLOAT, scalesOffset(n) + 4L * i),
                            receivedRows, (row + i) * rowF32, hidden);
                }
            } else {
                MemorySegment.copy(m, rowsAt, receivedRows, row * rowF32, n * rowF32);
            }
            row += n;
        }
        receivedStart[worldSize] = row;
        return row;
    }

    /** [numReceived, hidden] f32: the rows dispatched to this rank's experts, valid until the next dispatch. */
    public MemorySegment receivedRows() {
        return receivedRows;
    }

    public int receivedExpert(int row) {
        return receivedExperts.getAtIndex(JAVA_INT, row);
    }

    public float receivedGate(int row) {
        return receivedGates.getAtIndex(JAVA_FLOAT, row);
    }

    /**
     * Sends each expert result back, weighted by its gate, and sums them per token.
     *
     * @param expertOut [numReceived, hidden] f32, row i the result for {@link #receivedRows()} row i
     * @param out       [numTokens, hidden] f32, overwritten with {@code sum_k gate_k * expert_k(x)}
     */
    public void combine(MemorySegment expertOut, MemorySegment out) {
        int hidden = shape.hidden();
        long rowF32 = (long) hidden * Float.BYTES;
        int count = 0;
        for (int s = 0; s < worldSize; s++) {
            int first = receivedStart[s];
            int n = receivedStart[s + 1] - first;
            boolean self = s == comm.rank();
            MemorySegment reply = self ? outgoing[s] : incoming[s];   // our own rows go straight back
            for (int i = 0; i < n; i++) {
                float gate = receivedGate(first + i);
                long src = (first + i) * rowF32;
                for (int h = 0; h < hidden; h++) {
                    reply.set(JAVA_FLOAT, i * rowF32 + 4L * h, gate * expertOut.get(JAVA_FLOAT, src + 4L * h));
                }
            }
            if (!self) {
                requests[count++] = comm.irecvTagged(s, Tags.COMBINE, outgoing[s], 0, numSent[s] * rowF32);
                requests[count++] = comm.isendTagged(s, Tags.COMBINE, reply, 0, n * rowF32);
            }
        }
        comm.awaitAll(requests, count);
        out.asSlice(0, numTokens * rowF32).fill((byte) 0);
        for (int r = 0; r < worldSize; r++) {
            MemorySegment back = outgoing[r];
            for (int i = 0; i < numSent[r]; i++) {
                long dst = (long) (sentSlots[r][i] / shape.topK()) * rowF32;
                for (int h = 0; h < hidden; h++) {
                    long at = dst + 4L * h;
                    out.set(JAVA_FLOAT, at, out.get(JAVA_FLOAT, at) + back.get(JAVA_FLOAT, i * rowF32 + 4L * h));
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
