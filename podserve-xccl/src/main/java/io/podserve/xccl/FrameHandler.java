package io.podserve.xccl;

import java.lang.foreign.MemorySegment;

/**
 * Receives one chunk of a message from a {@link Link}. The chunk's bytes are valid only during the call:
 * the transport reuses their memory as soon as it returns.
 */
@FunctionalInterface
public interface FrameHandler {

    /**
     * @param tag          the message's tag
     * @param eventId      the message's sequence number on this link, from 0
     * @param messageBytes the whole message's size
     * @param chunkOffset  where this chunk starts within the message
     * @param data         memory holding the chunk (a transport buffer, not a copy)
     * @param dataOffset   where the chunk starts within {@code data}
     * @param chunkBytes   the chunk's size; 0 only for an empty message
     */
    void onFrame(long tag, long eventId, long messageBytes, long chunkOffset,
                 MemorySegment data, long dataOffset, int chunkBytes);
}
