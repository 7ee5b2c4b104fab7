package io.podserve.xccl.shm;

import io.podserve.xccl.FrameHandler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.podserve.xccl.shm.MailboxDescriptor.*;

/**
 * One sender's ring of slots inside a receiver's mailbox (see {@link MailboxDescriptor}): a single-producer
 * single-consumer queue of message chunks. The sending rank's communicator thread owns the producer methods,
 * the receiving rank's communicator thread the consumer methods; each side makes its own instance over the
 * same memory.
 *
 * <p>Publication (producer, {@link #offer}):
 * <ol>
 *   <li>claim: if {@code tail - head == numSlots} re-read HEAD with acquire; still full means no room;</li>
 *   <li>write the slot header (tag, event, message size, chunk offset) and copy the chunk into the slot with
 *       plain stores;</li>
 *   <li>write EVENT_ID and CHUNK_INDEX (diagnostics), then publish with a release store of TAIL = tail + 1.</li>
 * </ol>
 * Consumption (consumer, {@link #poll}):
 * <ol>
 *   <li>if {@code head == tail} re-read TAIL with acquire; still equal means nothing new;</li>
 *   <li>read the slot header and hand the slot to the handler, which copies the chunk out;</li>
 *   <li>free the slot with a release store of HEAD = head + 1.</li>
 * </ol>
 * A sender that dies between steps 2 and 3 never advances TAIL, so a torn chunk is never seen.
 */
public final class SlotRing {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment mailbox;
    private final long blockOffset;
    private final long dataOffset;
    private final int numSlots;
    private final int slotBytes;
    private final int slotShift;

    // The producer's or consumer's own position and its cached view of the other side's.
    private long position;
    private long cachedOther;

    public SlotRing(MemorySegment mailbox, long blockOffset, int numSlots, int slotBytes) {
        checkGeometry(numSlots, slotBytes);
        this.mailbox = mailbox;
        this.blockOffset = blockOffset;
        this.dataOffset = blockOffset + MailboxDescriptor.dataOffset(numSlots);
        this.numSlots = numSlots;
        this.slotBytes = slotBytes;
        this.slotShift = Integer.numberOfTrailingZeros(slotBytes);
    }

    public int slotBytes() {
        return slotBytes;
    }

    /** Producer: publishes one chunk of at most {@link #slotBytes()} bytes, or returns false when full. */
    public boolean offer(long tag, long eventId, long messageBytes, long chunkOffset,
                         MemorySegment src, long srcOffset, int chunkBytes) {
        long tail = position;
        if (tail - cachedOther >= numSlots) {
            cachedOther = (long) LONG.getAcquire(mailbox, blockOffset + HEAD_OFFSET);
            if (tail - cachedOther >= numSlots) {
                return false;
            }
        }
        int slot = (int) tail & (numSlots - 1);
        long header = blockOffset + SLOT_HEADERS_OFFSET + (long) slot * SLOT_HEADER_BYTES;
        mailbox.set(ValueLayout.JAVA_LONG, header + SLOT_TAG_OFFSET, tag);
        mailbox.set(ValueLayout.JAVA_LONG, header + SLOT_EVENT_OFFSET, eventId);
        mailbox.set(ValueLayout.JAVA_LONG, header + SLOT_MESSAGE_BYTES_OFFSET, messageBytes);
        mailbox.set(ValueLayout.JAVA_LONG, header + SLOT_CHUNK_OFFSET_OFFSET, chunkOffset);
        if (chunkBytes > 0) {
            MemorySegment.copy(src, srcOffset, mailbox, dataOffset + ((long) slot << slotShift), chunkBytes);
        }
        mailbox.set(ValueLayout.JAVA_LONG, blockOffset + EVENT_ID_OFFSET, eventId);
        mailbox.set(ValueLayout.JAVA_LONG, blockOffset + CHUNK_INDEX_OFFSET, chunkOffset >>> slotShift);
        LONG.setRelease(mailbox, blockOffset + TAIL_OFFSET, tail + 1);
        position = tail + 1;
        return true;
    }

    /** Consumer: hands the oldest published chunk to {@code handler} and frees its slot; false when empty. */
    public boolean poll(FrameHandler handler) {
        long head = position;
        if (head == cachedOther) {
            cachedOther = (long) LONG.getAcquire(mailbox, blockOffset + TAIL_OFFSET);
            if (head == cachedOther) {
                return false;
            }
        }
        int slot = (int) head & (numSlots - 1);
        long header = blockOffset + SLOT_HEADERS_OFFSET + (long) slot * SLOT_HEADER_BYTES;
        long messageBytes = mailbox.get(ValueLayout.JAVA_LONG, header + SLOT_MESSAGE_BYTES_OFFSET);
        long chunkOffset = mailbox.get(ValueLayout.JAVA_LONG, header + SLOT_CHUNK_OFFSET_OFFSET);
        int chunkBytes = (int) Math.min(slotBytes, messageBytes - chunkOffset);
        handler.onFrame(mailbox.get(ValueLayout.JAVA_LONG, header + SLOT_TAG_OFFSET),
                mailbox.get(ValueLayout.JAVA_LONG, header + SLOT_EVENT_OFFSET),
                messageBytes, chunkOffset, mailbox, dataOffset + ((long) slot << slotShift), chunkBytes);
        LONG.setRelease(mailbox, blockOffset + HEAD_OFFSET, head + 1);
        position = head + 1;
        return true;
    }

    /** Either side: writes this sender's heartbeat (any thread; a plain ordered store is enough). */
    public void heartbeatRelease(long nowMillis) {
        LONG.setRelease(mailbox, blockOffset + HEARTBEAT_OFFSET, nowMillis);
    }

    public long heartbeatAcquire() {
        return (long) LONG.getAcquire(mailbox, blockOffset + HEARTBEAT_OFFSET);
    }

    public void stateRelease(long state) {
        LONG.setRelease(mailbox, blockOffset + STATE_OFFSET, state);
    }

    public long stateAcquire() {
        return (long) LONG.getAcquire(mailbox, blockOffset + STATE_OFFSET);
    }

    /** Consumer: the last event and chunk the sender published, for error messages. */
    public String progressDescription() {
        return "event " + mailbox.get(ValueLayout.JAVA_LONG, blockOffset + EVENT_ID_OFFSET)
                + " chunk " + mailbox.get(ValueLayout.JAVA_LONG, blockOffset + CHUNK_INDEX_OFFSET);
    }
}
