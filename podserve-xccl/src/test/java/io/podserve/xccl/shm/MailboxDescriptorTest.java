package io.podserve.xccl.shm;

import org.junit.jupiter.api.Test;

import static io.podserve.xccl.shm.MailboxDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class MailboxDescriptorTest {

    @Test
    void headerFieldsFollowOneAnotherInsideOneBlock() {
        assertEquals(0, MAGIC_OFFSET);
        assertEquals(8, VERSION_OFFSET);
        assertEquals(12, NUM_SENDERS_OFFSET);
        assertEquals(16, SLOT_BYTES_OFFSET);
        assertEquals(20, NUM_SLOTS_OFFSET);
        assertEquals(24, OWNER_PID_OFFSET);
        assertTrue(OWNER_PID_OFFSET + Long.BYTES <= HEADER_BYTES);
    }

    @Test
    void senderAndReceiverFieldsAreInSeparateBlocks() {
        // Fields the sender writes: TAIL, EVENT_ID, CHUNK_INDEX, HEARTBEAT, STATE; the receiver writes HEAD.
        for (int f : new int[]{TAIL_OFFSET, EVENT_ID_OFFSET, CHUNK_INDEX_OFFSET, HEARTBEAT_OFFSET, STATE_OFFSET}) {
            assertTrue(f + Long.BYTES <= HEAD_OFFSET, "sender field at " + f);
            assertEquals(0, f % Long.BYTES, "aligned for atomic access");
        }
        assertEquals(128, HEAD_OFFSET);
        assertEquals(256, SLOT_HEADERS_OFFSET);
        assertEquals(0, HEAD_OFFSET % BLOCK_ALIGNMENT);
        assertEquals(32, SLOT_HEADER_BYTES);
    }

    @Test
    void dataAreaIsPageAlignedAfterTheSlotHeaders() {
        assertEquals(4096, dataOffset(16));
        assertEquals(256 + 128 * 32, SLOT_HEADERS_OFFSET + 128 * SLOT_HEADER_BYTES);
        assertEquals(8192, dataOffset(128));
        assertEquals(4096 + 16 * 65536, senderBlockBytes(16, 65536));
        assertEquals(4096, senderBlockOffset(0, 16, 65536));
        assertEquals(4096 + 3 * senderBlockBytes(16, 65536), senderBlockOffset(3, 16, 65536));
        assertEquals(senderBlockOffset(8, 16, 65536), mailboxBytes(8, 16, 65536));
    }

    @Test
    void geometryMustBePowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> checkGeometry(3, 4096));
        assertThrows(IllegalArgumentException.class, () -> checkGeometry(16, 5000));
        assertThrows(IllegalArgumentException.class, () -> checkGeometry(1, 4096));
        assertDoesNotThrow(() -> checkGeometry(2, 64));
    }

    @Test
    void ownerPidIsReadFromTheFileName() {
        assertEquals(1234, ShmMailbox.ownerPid("xccl-1234-3-abc"));
        assertEquals(-1, ShmMailbox.ownerPid("xccl-junk"));
        assertEquals(-1, ShmMailbox.ownerPid("xccl-x-1-2"));
    }
}
