package io.podserve.xccl;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One rank's view of one peer: the link, the queue of sends not yet fully offered, the posted receives, the
 * unexpected messages, and the message arriving now. Owned by the communicator's thread.
 *
 * <p>Matching: per (peer, tag), the k-th message sent matches the k-th receive posted. A sender pushes one
 * message's chunks fully before the next (a link is FIFO), so at most one incoming message per peer is
 * partially received at any time.
 */
final class Peer implements FrameHandler {

    final int rank;
    final Link link;
    private final Communicator comm;
    private final ArrayDeque<Request> sends = new ArrayDeque<>();
    private final ArrayList<Request> posted = new ArrayList<>();
    private final ArrayList<UnexpectedMessage> unexpected = new ArrayList<>();
    private long nextSendEvent;
    private long nextReceiveEvent;

    // The message arriving now: into a posted receive, an unexpected buffer, or discarded (did not fit).
    private Request incomingRequest;
    private UnexpectedMessage incomingUnexpected;
    private boolean incomingActive;

    PeerFailedException failure;

    Peer(int rank, Link link, Communicator comm) {
        this.rank = rank;
        this.link = link;
        this.comm = comm;
    }

    void postSend(Request r) {
        if (failure != null) {
            r.fail(failure);
            return;
        }
        r.eventId = nextSendEvent++;
        sends.addLast(r);
    }

    void postReceive(Request r) {
        for (int i = 0; i < unexpected.size(); i++) {
            UnexpectedMessage u = unexpected.get(i);
            if (u.tag != r.tag) {
                continue;
            }
            unexpected.remove(i);
            if (!fits(r, u.messageBytes)) {
                dropUnexpected(u);
                return;
            }
            r.messageBytes = u.messageBytes;
            r.transferredBytes = u.receivedBytes;
            MemorySegment.copy(u.buffer, 0, r.segment, r.segmentOffset, u.receivedBytes);
            if (u == incomingUnexpected) {
                incomingUnexpected = null;
                incomingRequest = r;       // the rest of the message lands in place
            } else {
                r.complete();
            }
            comm.releaseUnexpected(u);
            return;
        }
        if (failure != null) {
            r.fail(failure);
            return;
        }
        posted.add(r);
    }

    /** Offers chunks of queued sends until the link is full; returns the number offered. */
    int pushSends() {
        int work = 0;
        Request r;
        while ((r = sends.peekFirst()) != null) {
            int chunkBytes = (int) Math.min(r.messageBytes - r.transferredBytes, link.maxChunkBytes());
            if (!link.offer(r.tag, r.eventId, r.messageBytes, r.transferredBytes,
                    r.segment, r.segmentOffset + r.transferredBytes, chunkBytes)) {
                break;
            }
            work++;
            r.transferredBytes += chunkBytes;
            if (r.transferredBytes == r.messageBytes) {
                sends.pollFirst();
                r.complete();
            }
        }
        return work;
    }

    /** Takes up to {@code maxChunks} received chunks; returns how many it took. */
    int pollReceives(int maxChunks) {
        int work = 0;
        while (work < maxChunks && link.poll(this)) {
            work++;
        }
        return work;
    }

    @Override
    public void onFrame(long tag, long eventId, long messageBytes, long chunkOffset,
                        MemorySegment data, long dataOffset, int chunkBytes) {
        if (chunkOffset == 0) {
            startIncoming(tag, eventId, messageBytes);
        } else if (!incomingActive) {
            throw new XcclException("rank " + rank + " sent chunk at " + chunkOffset + " of event " + eventId
                    + " without its first chunk: the stream is corrupt");
        }
        if (incomingRequest != null) {
            MemorySegment.copy(data, dataOffset, incomingRequest.segment, incomingRequest.segmentOffset + chunkOffset,
                    chunkBytes);
            incomingRequest.transferredBytes = chunkOffset + chunkBytes;
        } else if (incomingUnexpected != null) {
            MemorySegment.copy(data, dataOffset, incomingUnexpected.buffer, chunkOffset, chunkBytes);
            incomingUnexpected.receivedBytes = chunkOffset + chunkBytes;
        }
        if (chunkOffset + chunkBytes == messageBytes) {
            if (incomingRequest != null) {
                incomingRequest.complete();
            }
            incomingRequest = null;
            incomingUnexpected = null;
            incomingActive = false;
        }
    }

    private void startIncoming(long tag, long eventId, long messageBytes) {
        if (eventId != nextReceiveEvent) {
            throw new XcclException("rank " + rank + " sent event " + eventId + " where event " + nextReceiveEvent
                    + " was due: the stream is corrupt");
        }
        nextReceiveEvent++;
        incomingActive = true;
        for (int i = 0; i < posted.size(); i++) {
            Request r = posted.get(i);
            if (r.tag == tag) {
                posted.remove(i);
                if (fits(r, messageBytes)) {
                    r.messageBytes = messageBytes;
                    incomingRequest = r;
                }
                return;
            }
        }
        UnexpectedMessage u = comm.takeUnexpected(messageBytes);
        u.tag = tag;
        u.messageBytes = messageBytes;
        u.receivedBytes = 0;
        unexpected.add(u);
        incomingUnexpected = u;
    }

    private boolean fits(Request r, long messageBytes) {
        if (messageBytes <= r.capacityBytes) {
            return true;
        }
        r.fail(new XcclException("message of " + messageBytes + " bytes from rank " + rank + " with tag " + r.tag
                + " does not fit the receive buffer of " + r.capacityBytes + " bytes"));
        return false;
    }

    private void dropUnexpected(UnexpectedMessage u) {
        if (u == incomingUnexpected) {
            incomingUnexpected = null;   // the rest of it is discarded as it arrives
        }
        comm.releaseUnexpected(u);
    }

    /**
     * The peer is gone: delivers what it had fully published, then fails everything still pending with it.
     * Complete unexpected messages stay receivable; partial ones are dropped, never delivered.
     */
    void fail(PeerFailedException e) {
        try {
            pollReceives(Integer.MAX_VALUE);
        } catch (XcclException ignored) {
            // A corrupt tail from a dying peer changes nothing: everything pending fails below.
        }
        failure = e;
        for (Request r : sends) {
            r.fail(e);
        }
        sends.clear();
        for (Request r : posted) {
            r.fail(e);
        }
        posted.clear();
        if (incomingRequest != null) {
            incomingRequest.fail(e);
            incomingRequest = null;
        }
        if (incomingUnexpected != null) {
            unexpected.remove(incomingUnexpected);
            comm.releaseUnexpected(incomingUnexpected);
            incomingUnexpected = null;
        }
        incomingActive = false;
    }

    boolean hasPending() {
        return !sends.isEmpty() || !posted.isEmpty() || incomingRequest != null;
    }

    int numPending() {
        return sends.size() + posted.size() + (incomingRequest != null ? 1 : 0);
    }
}
