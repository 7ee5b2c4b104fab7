package io.podserve.xccl;

import java.lang.foreign.MemorySegment;

/**
 * One rank's bidirectional connection to one peer, carrying chunks of tagged messages in order. Every
 * method is called by the communicator's owning thread only; a link never blocks.
 */
public interface Link extends AutoCloseable {

    /** The largest chunk {@link #offer} takes. */
    int maxChunkBytes();

    /**
     * Sends one chunk if the link has room now.
     *
     * @return false when the peer has not yet consumed enough to make room; nothing was sent
     */
    boolean offer(long tag, long eventId, long messageBytes, long chunkOffset,
                  MemorySegment src, long srcOffset, int chunkBytes);

    /** Hands at most one received chunk to {@code handler}; false when none has arrived. */
    boolean poll(FrameHandler handler);

    /**
     * Null while the peer is alive and reachable, otherwise why it is not ("process 4242 is gone",
     * "connection reset"). Called every few milliseconds while the owner waits, so it may do a system call.
     */
    String failure();

    /** Tells the peer this side closed on purpose, and frees the link's resources. */
    @Override
    void close();
}
