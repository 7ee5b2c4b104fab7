package io.podserve.xccl.shm;

/**
 * The layout of one receiver's mailbox: a header, then one block per sending rank. Every offset is in bytes
 * from the start of the mailbox; fields written by different processes sit in different 128-byte blocks
 * (two cache lines, so the adjacent-line prefetcher does not couple them either).
 *
 * <pre>
 * 0                   8        12           16          20         24         32               128
 * +-------------------+--------+------------+-----------+----------+----------+----------------+
 * | MAGIC (long)      |VERSION |NUM_SENDERS |SLOT_BYTES |NUM_SLOTS | OWNER_PID| padding        |  header
 * +-------------------+--------+------------+-----------+----------+----------+----------------+
 * | sender block 0 | sender block 1 | ... | sender block NUM_SENDERS-1 |
 *
 * sender block (senderBlockBytes, a multiple of 4096):
 * 0                                                                                        128
 * | TAIL (long) | EVENT_ID (long) | CHUNK_INDEX (long) | ... | HEARTBEAT (long, at 64) | STATE (long, at 72) |
 *   written by the sender: slots published, last event and chunk, liveness
 * 128                                                                                      256
 * | HEAD (long) | padding |   written by the receiver: slots consumed
 * 256
 * | slot header 0 | slot header 1 | ... | slot header NUM_SLOTS-1 | padding to 4096 |
 *   slot header (32 bytes): TAG (long) | EVENT (long) | MESSAGE_BYTES (long) | CHUNK_OFFSET (long)
 *   CHUNK_BYTES is not stored: it is min(SLOT_BYTES, MESSAGE_BYTES - CHUNK_OFFSET), every chunk but a
 *   message's last being full.
 * dataOffset (4096-aligned)
 * | slot 0 (SLOT_BYTES) | slot 1 | ... | slot NUM_SLOTS-1 |
 * </pre>
 *
 * NOTE: slot headers live in the metadata area, not at the front of each slot, so the data area is made of
 * whole power-of-two slots and a power-of-two message fills them exactly.
 */
public final class MailboxDescriptor {

    public static final long MAGIC = 0x4c43_4358_5344_5050L; // "PPDSXCCL" read little-endian
    public static final int VERSION = 1;
    public static final int BLOCK_ALIGNMENT = 128;
    public static final int PAGE_BYTES = 4096;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    public static final int NUM_SENDERS_OFFSET = VERSION_OFFSET + Integer.BYTES;
    public static final int SLOT_BYTES_OFFSET = NUM_SENDERS_OFFSET + Integer.BYTES;
    public static final int NUM_SLOTS_OFFSET = SLOT_BYTES_OFFSET + Integer.BYTES;
    public static final int OWNER_PID_OFFSET = NUM_SLOTS_OFFSET + Integer.BYTES;
    public static final int HEADER_BYTES = BLOCK_ALIGNMENT;

    // Within a sender block: the sender's metadata.
    public static final int TAIL_OFFSET = 0;
    public static final int EVENT_ID_OFFSET = TAIL_OFFSET + Long.BYTES;
    public static final int CHUNK_INDEX_OFFSET = EVENT_ID_OFFSET + Long.BYTES;
    public static final int HEARTBEAT_OFFSET = 64;
    public static final int STATE_OFFSET = HEARTBEAT_OFFSET + Long.BYTES;
    // The receiver's metadata, in its own block.
    public static final int HEAD_OFFSET = BLOCK_ALIGNMENT;
    public static final int SLOT_HEADERS_OFFSET = HEAD_OFFSET + BLOCK_ALIGNMENT;

    // Within a slot header.
    public static final int SLOT_TAG_OFFSET = 0;
    public static final int SLOT_EVENT_OFFSET = SLOT_TAG_OFFSET + Long.BYTES;
    public static final int SLOT_MESSAGE_BYTES_OFFSET = SLOT_EVENT_OFFSET + Long.BYTES;
    public static final int SLOT_CHUNK_OFFSET_OFFSET = SLOT_MESSAGE_BYTES_OFFSET + Long.BYTES;
    public static final int SLOT_HEADER_BYTES = SLOT_CHUNK_OFFSET_OFFSET + Long.BYTES;

    /** STATE values: a sender that closed its communicator is gone on purpose, not crashed. */
    public static final long STATE_OPEN = 1;
    public static final long STATE_CLOSED = 2;

    private MailboxDescriptor() {
    }

    /** Offset of the data area inside a sender block. */
    public static long dataOffset(int numSlots) {
        return align(SLOT_HEADERS_OFFSET + (long) numSlots * SLOT_HEADER_BYTES, PAGE_BYTES);
    }

    public static long senderBlockBytes(int numSlots, int slotBytes) {
        return dataOffset(numSlots) + (long) numSlots * slotBytes;
    }

    public static long senderBlockOffset(int sender, int numSlots, int slotBytes) {
        return align(HEADER_BYTES, PAGE_BYTES) + sender * senderBlockBytes(numSlots, slotBytes);
    }

    public static long mailboxBytes(int numSenders, int numSlots, int slotBytes) {
        return senderBlockOffset(numSenders, numSlots, slotBytes);
    }

    /** Checks ring geometry: both counts are powers of two so a position maps to a slot with a mask. */
    public static void checkGeometry(int numSlots, int slotBytes) {
        if (numSlots < 2 || Integer.bitCount(numSlots) != 1) {
            throw new IllegalArgumentException("number of slots must be a power of two >= 2, got " + numSlots);
        }
        if (slotBytes < 64 || Integer.bitCount(slotBytes) != 1) {
            throw new IllegalArgumentException("slot size must be a power of two >= 64 bytes, got " + slotBytes);
        }
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
