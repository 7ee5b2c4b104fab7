package io.podserve.xccl.shm;

import io.podserve.xccl.XcclException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This rank's side of the shared-memory transport: its own mailbox, the peers' mailboxes it mapped, the
 * links over them, and the heartbeat thread. Built by the communicator's thread; the heartbeat thread only
 * writes HEARTBEAT fields.
 */
public final class ShmTransport implements AutoCloseable {

    /** How often the heartbeat thread stamps every outgoing ring. */
    public static final long HEARTBEAT_MILLIS = 100;

    private final int rank;
    private final int numSlots;
    private final int slotBytes;
    private final long heartbeatTimeoutMillis;
    private final ShmMailbox own;
    private final List<ShmMailbox> mapped = new ArrayList<>();
    private final List<RingLink> links = new CopyOnWriteArrayList<>();
    private final Thread heartbeat;
    private volatile boolean running = true;

    public ShmTransport(Path dir, int rank, int worldSize, int numSlots, int slotBytes, long heartbeatTimeoutMillis) {
        this.rank = rank;
        this.numSlots = numSlots;
        this.slotBytes = slotBytes;
        this.heartbeatTimeoutMillis = heartbeatTimeoutMillis;
        ShmMailbox.removeStale(dir);
        this.own = ShmMailbox.create(dir, rank, worldSize, numSlots, slotBytes);
        this.heartbeat = Thread.ofPlatform().daemon().name("xccl-heartbeat-" + rank).unstarted(this::beat);
    }

    /** Where peers find this rank's mailbox. */
    public Path mailboxFile() {
        return own.file();
    }

    /** The loopback link: this rank's own block in its own mailbox, read and written by itself. */
    public RingLink selfLink() {
        return track(new RingLink(own.ring(rank), own.ring(rank), null, 0));
    }

    /** Maps {@code peerMailbox} and links to rank {@code peer}, whose process {@code peerPid} runs on this host. */
    public RingLink link(Path peerMailbox, int worldSize, int peer, long peerPid) {
        ShmMailbox peerBox = ShmMailbox.open(peerMailbox, worldSize, numSlots, slotBytes);
        mapped.add(peerBox);
        ProcessHandle process = ProcessHandle.of(peerPid).orElse(null);
        RingLink link = new RingLink(peerBox.ring(rank), own.ring(peer), process,
                heartbeatTimeoutMillis);
        if (process == null) {
            link.close();
            throw new XcclException("process " + peerPid + " of mailbox " + peerMailbox + " is gone");
        }
        return track(link);
    }

    private RingLink track(RingLink link) {
        links.add(link);
        if (!heartbeat.isAlive() && running) {
            heartbeat.start();
        }
        return link;
    }

    /** Removes this rank's mailbox name once every peer has mapped it. */
    public void unlinkOwnMailbox() {
        own.unlink();
    }

    private void beat() {
        while (running) {
            long now = System.currentTimeMillis();
            for (RingLink link : links) {
                link.out().heartbeatRelease(now);
            }
            try {
                Thread.sleep(HEARTBEAT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        heartbeat.interrupt();
        try {
            heartbeat.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ShmMailbox m : mapped) {
            m.close();
        }
        own.close();
    }
}
