package io.podserve.xccl;

import java.lang.foreign.MemorySegment;

/**
 * One pending send or receive, returned by {@link Communicator#isend} and {@link Communicator#irecv}. Owned by
 * the communicator's thread. Requests are pooled: one is valid until {@link #await()} returns or throws, after
 * which the communicator reuses it, so keep no reference past that point.
 */
public final class Request {

    enum State { FREE, PENDING, DONE, FAILED }

    private final Communicator owner;
    State state = State.FREE;
    boolean isSend;
    int peer;
    long tag;
    MemorySegment segment;
    /** Where the message starts in {@link #segment}, and the bytes available there. */
    long segmentOffset;
    long capacityBytes;
    /** Bytes sent or received so far; for a receive, {@link #messageBytes} once the first chunk is in. */
    long transferredBytes;
    long messageBytes;
    long eventId;
    XcclException failure;

    Request(Communicator owner) {
        this.owner = owner;
    }

    void start(boolean isSend, int peer, long tag, MemorySegment segment, long offset, long bytes) {
        java.util.Objects.checkFromIndexSize(offset, bytes, segment.byteSize());
        this.state = State.PENDING;
        this.isSend = isSend;
        this.peer = peer;
        this.tag = tag;
        this.segment = segment;
        this.segmentOffset = offset;
        this.capacityBytes = bytes;
        this.transferredBytes = 0;
        this.messageBytes = isSend ? bytes : -1;
        this.failure = null;
    }

    void complete() {
        state = State.DONE;
    }

    void fail(XcclException e) {
        if (state == State.PENDING) {
            state = State.FAILED;
            failure = e;
        }
    }

    /** Whether the operation has finished (well or not), after one round of progress. */
    public boolean test() {
        if (state == State.PENDING) {
            owner.progressAndCheck();
        }
        return state != State.PENDING;
    }

    /**
     * Waits until the operation completes, driving the communicator meanwhile, then releases this request.
     *
     * @return the bytes sent or received
     * @throws PeerFailedException if the peer died or closed before the operation completed
     */
    public long await() {
        return owner.await(this);
    }

    @Override
    public String toString() {
        return (isSend ? "send to rank " : "receive from rank ") + peer + " tag " + tag;
    }
}
