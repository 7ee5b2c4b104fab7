package io.podserve.xccl.shm;

import io.podserve.xccl.FrameHandler;
import io.podserve.xccl.Link;

import java.lang.foreign.MemorySegment;

/**
 * A link made of two slot rings: {@code out} in the peer's mailbox (this rank's sender block there) and
 * {@code in} in this rank's mailbox (the peer's sender block here). Used by the shared-memory transport and,
 * over anonymous memory, by the in-process one. Owned by the communicator's thread.
 *
 * <p>Liveness, cheapest first: the peer's STATE says it closed on purpose; its process (same host, so the pid
 * means something) has exited; its heartbeat, written every {@link ShmTransport#HEARTBEAT_MILLIS} by a daemon
 * thread, is older than the timeout (a process that is alive but stopped, or in another pid namespace).
 */
public final class RingLink implements Link {

    private final SlotRing out;
    private final SlotRing in;
    private final ProcessHandle peerProcess;
    private final long heartbeatTimeoutMillis;

    /**
     * @param peerProcess            the peer's process, or null when it is this process (in-process groups)
     * @param heartbeatTimeoutMillis 0 to ignore heartbeats
     */
    public RingLink(SlotRing out, SlotRing in, ProcessHandle peerProcess, long heartbeatTimeoutMillis) {
        this.out = out;
        this.in = in;
        this.peerProcess = peerProcess;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
        out.heartbeatRelease(System.currentTimeMillis());
        out.stateRelease(MailboxDescriptor.STATE_OPEN);
    }

    @Override
    public int maxChunkBytes() {
        return out.slotBytes();
    }

    @Override
    public boolean offer(long tag, long eventId, long messageBytes, long chunkOffset,
                         MemorySegment src, long srcOffset, int chunkBytes) {
        return out.offer(tag, eventId, messageBytes, chunkOffset, src, srcOffset, chunkBytes);
    }

    @Override
    public boolean poll(FrameHandler handler) {
        return in.poll(handler);
    }

    /** The sending side's ring, for the heartbeat thread. */
    SlotRing out() {
        return out;
    }

    @Override
    public String failure() {
        if (in.stateAcquire() == MailboxDescriptor.STATE_CLOSED) {
            return "it closed its communicator";
        }
        if (peerProcess != null && !peerProcess.isAlive()) {
            return "its process " + peerProcess.pid() + " is gone (it had published " + in.progressDescription() + ")";
        }
        long lastBeat = in.heartbeatAcquire();
        // Zero: the peer has not linked to us yet (it may still be mapping mailboxes); its pid covers that time.
        if (heartbeatTimeoutMillis > 0 && lastBeat != 0) {
            long silentMillis = System.currentTimeMillis() - lastBeat;
            if (silentMillis > heartbeatTimeoutMillis) {
                return "no heartbeat for " + silentMillis + " ms (timeout " + heartbeatTimeoutMillis + " ms)";
            }
        }
        return null;
    }

    @Override
    public void close() {
        out.stateRelease(MailboxDescriptor.STATE_CLOSED);
    }
}
