package io.podserve.xccl.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ring's publication protocol under two threads: the consumer must see every chunk exactly once, in order,
 * with the payload written before the tail was published. Allowed outcome: exactly the sequence sent.
 */
class SlotRingStressTest {

    @Test
    @Timeout(60)
    void consumerSeesEveryChunkInOrderWithItsPayload() throws Exception {
        int numSlots = 4;
        int slotBytes = 256;
        int numChunks = 200_000;
        try (ShmMailbox box = ShmMailbox.anonymous(1, numSlots, slotBytes); Arena arena = Arena.ofShared()) {
            SlotRing producer = box.ring(0);
            SlotRing consumer = box.ring(0);
            MemorySegment src = arena.allocate(slotBytes);
            AtomicReference<String> error = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                long[] expected = {0};
                while (expected[0] < numChunks && error.get() == null) {
                    consumer.poll((tag, eventId, messageBytes, chunkOffset, data, dataOffset, chunkBytes) -> {
                        long seq = expected[0]++;
                        int n = (int) (seq % slotBytes) + 1;
                        if (tag != seq || eventId != seq || messageBytes != n || chunkBytes != n) {
                            error.compareAndSet(null, "chunk " + seq + ": tag " + tag + " bytes " + chunkBytes);
                        }
                        for (int i = 0; i < n; i += 8) {
                            if (data.get(ValueLayout.JAVA_BYTE, dataOffset + i) != (byte) (seq + i)) {
                                error.compareAndSet(null, "chunk " + seq + " byte " + i + " is stale");
                            }
                        }
                    });
                }
            });
            for (long seq = 0; seq < numChunks; seq++) {
                int n = (int) (seq % slotBytes) + 1;
                for (int i = 0; i < n; i += 8) {
                    src.set(ValueLayout.JAVA_BYTE, i, (byte) (seq + i));
                }
                while (!producer.offer(seq, seq, n, 0, src, 0, n)) {
                    Thread.onSpinWait();
                }
            }
            reader.join();
            assertNull(error.get());
        }
    }
}
