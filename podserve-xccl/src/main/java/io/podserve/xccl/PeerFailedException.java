package io.podserve.xccl;

/** A peer died, closed, or lost its connection; every operation pending with it fails with this. */
public final class PeerFailedException extends XcclException {

    private final int peer;

    public PeerFailedException(int peer, String message) {
        super(message);
        this.peer = peer;
    }

    /** The rank that failed. */
    public int peer() {
        return peer;
    }
}
