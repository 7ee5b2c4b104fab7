package io.podserve.xccl;

import org.agrona.concurrent.IdleStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;

/**
 * A group of {@code worldSize} ranks that exchange tagged messages of off-heap memory. Made by
 * {@link Xccl#join} (one rank per process) or {@link InProcessGroup} (tests).
 *
 * <p>Thread ownership: one thread owns a communicator and calls every method. There is no progress thread:
 * operations advance whenever the owner calls {@link #progress()}, {@link Request#test()} or
 * {@link Request#await()}, which is what keeps a small message's latency at a few hundred nanoseconds.
 *
 * <p>Failure: while waiting, the owner asks every link every {@link #LIVENESS_CHECK_NANOS} whether its peer
 * is still there. A peer that died, closed or lost its connection fails every operation pending with it
 * with a {@link PeerFailedException} naming it; messages it had fully published are still delivered.
 */
public final class Communicator implements AutoCloseable {

    /** How often a waiting owner checks its peers' liveness. */
    public static final long LIVENESS_CHECK_NANOS = 20_000_000L;
    private static final int MAX_CHUNKS_PER_POLL = 16;

    private final int rank;
    private final Peer[] peers;
    private final IdleStrategy idle;
    private final AutoCloseable transport;
    private final Arena unexpectedArena = Arena.ofShared();
    private final ArrayDeque<Request> freeRequests = new ArrayDeque<>();
    private final ArrayList<UnexpectedMessage> freeUnexpected = new ArrayList<>();
    private final Request[] collective;
    private long nextLivenessCheck = System.nanoTime();
    private boolean closed;

    /**
     * @param links     one per rank, {@code links[rank]} being this rank's loopback
     * @param transport closed after the links, to release what they share (mailboxes, event loops)
     */
    public Communicator(int rank, Link[] links, IdleStrategy idle, AutoCloseable transport) {
        Objects.checkIndex(rank, links.length);
        this.rank = rank;
        this.idle = idle;
        this.transport = transport;
        this.peers = new Peer[links.length];
        for (int i = 0; i < links.length; i++) {
            peers[i] = new Peer(i, Objects.requireNonNull(links[i], "link to rank " + i), this);
        }
        this.collective = new Request[2 * links.length];
    }

    public int rank() {
        return rank;
    }

    public int worldSize() {
        return peers.length;
    }

    /** Starts sending all of {@code src} to {@code peer}; {@code src} must stay unchanged until the send completes. */
    public Request isend(int peer, long tag, MemorySegment src) {
        Tags.checkUserTag(tag);
        return isendTagged(peer, tag, src);
    }

    /** Starts receiving the next message with {@code tag} from {@code peer} into {@code dst} (at most its size). */
    public Request irecv(int peer, long tag, MemorySegment dst) {
        Tags.checkUserTag(tag);
        return irecvTagged(peer, tag, dst);
    }

    /** Sends and waits: {@code isend(peer, tag, src).await()}. */
    public void send(int peer, long tag, MemorySegment src) {
        isend(peer, tag, src).await();
    }

    /** Receives and waits; returns the message's size. */
    public long recv(int peer, long tag, MemorySegment dst) {
        return irecv(peer, tag, dst).await();
    }

    /** Sends {@code bytes} of {@code src} from {@code offset}: the allocation-free form of {@link #isend}. */
    public Request isend(int peer, long tag, MemorySegment src, long offset, long bytes) {
        Tags.checkUserTag(tag);
        return isendTagged(peer, tag, src, offset, bytes);
    }

    /** Receives into {@code bytes} of {@code dst} from {@code offset}: the allocation-free form of {@link #irecv}. */
    public Request irecv(int peer, long tag, MemorySegment dst, long offset, long bytes) {
        Tags.checkUserTag(tag);
        return irecvTagged(peer, tag, dst, offset, bytes);
    }

    Request isendTagged(int peer, long tag, MemorySegment src) {
        return isendTagged(peer, tag, src, 0, src.byteSize());
    }

    Request irecvTagged(int peer, long tag, MemorySegment dst) {
        return irecvTagged(peer, tag, dst, 0, dst.byteSize());
    }

    /** Any tag, the library's own included (see {@link Tags}); for collectives built on this communicator. */
    public Request isendTagged(int peer, long tag, MemorySegment src, long offset, long bytes) {
        Request r = start(true, peer, tag, src, offset, bytes);
        peers[peer].postSend(r);
        return r;
    }

    public Request irecvTagged(int peer, long tag, MemorySegment dst, long offset, long bytes) {
        Request r = start(false, peer, tag, dst, offset, bytes);
        peers[peer].postReceive(r);
        return r;
    }

    private Request start(boolean isSend, int peer, long tag, MemorySegment segment, long offset, long bytes) {
        checkOpen();
        Objects.checkIndex(peer, peers.length);
        Request r = freeRequests.pollFirst();
        if (r == null) {
            r = new Request(this);
        }
        r.start(isSend, peer, tag, segment, offset, bytes);
        return r;
    }

    /** One round over every peer: offer queued chunks, take arrived ones. Returns how many chunks moved. */
    public int progress() {
        int work = 0;
        for (Peer p : peers) {
            if (p.failure != null) {
                continue;
            }
            try {
                work += p.pushSends();
                work += p.pollReceives(MAX_CHUNKS_PER_POLL);
            } catch (XcclException e) {
                fail(p, e.getMessage());
            }
        }
        return work;
    }

    /** One round of progress, and the peers' liveness when it is due; for {@link Request#test()} and waits. */
    int progressAndCheck() {
        int work = progress();
        long now = System.nanoTime();
        if (now - nextLivenessCheck >= 0) {
            nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
            checkPeers();
        }
        return work;
    }

    long await(Request r) {
        idle.reset();
        while (r.state == Request.State.PENDING) {
            int work = progressAndCheck();
            if (r.state != Request.State.PENDING) {
                break;
            }
            idle.idle(work);
        }
        XcclException failure = r.failure;
        long bytes = r.isSend ? r.messageBytes : r.transferredBytes;
        release(r);
        if (failure != null) {
            throw failure;
        }
        return bytes;
    }

    /**
     * Waits for {@code requests[0..count)}; on a failure still waits for (and releases) the others, then throws
     * the first failure.
     */
    public void awaitAll(Request[] requests, int count) {
        XcclException first = null;
        for (int i = 0; i < count; i++) {
            try {
                requests[i].await();
            } catch (XcclException e) {
                if (first == null) {
                    first = e;
                }
            }
            requests[i] = null;
        }
        if (first != null) {
            throw first;
        }
    }

    private void release(Request r) {
        r.state = Request.State.FREE;
        r.segment = null;
        r.failure = null;
        freeRequests.addLast(r);
    }

    /** Asks every live peer's link whether the peer is still there. */
    private void checkPeers() {
        for (Peer p : peers) {
            if (p.failure == null && p.rank != rank) {
                String why = p.link.failure();
                if (why != null) {
                    fail(p, why);
                }
            }
        }
    }

    private void fail(Peer p, String why) {
        p.fail(new PeerFailedException(p.rank, "rank " + p.rank + " failed: " + why + " (seen by rank " + rank
                + "; " + p.numPending() + " operation(s) pending with it were failed)"));
    }

    /** Gathers every rank's {@code mine} into {@code all}, rank i's at {@code i * mine.byteSize()}. */
    public void allGather(MemorySegment mine, MemorySegment all) {
        long n = mine.byteSize();
        if (all.byteSize() < n * peers.length) {
            throw new IllegalArgumentException("allGather needs " + n * peers.length + " bytes of output, got "
                    + all.byteSize());
        }
        exchangeWithAll(Tags.ALL_GATHER, mine, all, n);
    }

    /** Returns once every rank has entered the barrier. */
    public void barrier() {
        exchangeWithAll(Tags.BARRIER, MemorySegment.NULL, MemorySegment.NULL, 0);
    }

    private void exchangeWithAll(long tag, MemorySegment mine, MemorySegment all, long n) {
        int count = 0;
        for (int p = 0; p < peers.length; p++) {
            collective[count++] = irecvTagged(p, tag, all, p * n, n);
            collective[count++] = isendTagged(p, tag, mine, 0, n);
        }
        awaitAll(collective, count);
    }

    UnexpectedMessage takeUnexpected(long messageBytes) {
        for (int i = freeUnexpected.size() - 1; i >= 0; i--) {
            if (freeUnexpected.get(i).buffer.byteSize() >= messageBytes) {
                return freeUnexpected.remove(i);
            }
        }
        long capacity = Math.max(4096, Long.highestOneBit(Math.max(1, messageBytes - 1)) << 1);
        return new UnexpectedMessage(unexpectedArena.allocate(capacity, 64));
    }

    void releaseUnexpected(UnexpectedMessage u) {
        freeUnexpected.add(u);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("communicator of rank " + rank + " is closed");
        }
    }

    /** Tells every peer this rank left on purpose, fails what is pending, and frees links and buffers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Peer p : peers) {
            if (p.failure == null) {
                p.fail(new PeerFailedException(p.rank, "communicator of rank " + rank + " was closed"));
            }
            p.link.close();
        }
        try {
            transport.close();
        } catch (Exception e) {
            throw new XcclException("closing the transport of rank " + rank + ": " + e.getMessage(), e);
        } finally {
            unexpectedArena.close();
        }
    }
}
