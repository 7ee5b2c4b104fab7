package io.podserve.xccl;

import io.podserve.xccl.shm.RingLink;
import io.podserve.xccl.shm.ShmMailbox;
import io.podserve.xccl.shm.ShmTransport;
import io.podserve.xccl.tcp.TcpTransport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Forms a communicator: one call per rank, each in its own process. */
public final class Xccl {

    /** The default idle strategy's spins and yields, public so a benchmark can give a reference peer the same. */
    public static final int IDLE_SPINS = 10;
    public static final int IDLE_YIELDS = 1000;

    // NOTE: spin 10 pauses (about one small-message round trip when both ranks have a core), then yield up to
    // 1000 times, then park 1 us doubling to 100 us. Yielding early matters on a busy machine: when the peer
    // shares our core, a yield hands it the core at once, where a spin holds it and a park costs the kernel's
    // 50 us timer slack per wake-up (measurements in docs/design-notes.md). Idle ranks still end up parked.
    static IdleStrategy defaultIdle() {
        return new BackoffIdleStrategy(IDLE_SPINS, IDLE_YIELDS, 1_000, 100_000);
    }

    private Xccl() {
    }

    /**
     * Joins the group: publishes this rank at the rendezvous (directory or rank 0), waits for every other
     * rank, links to each (shared memory on this host, TCP elsewhere, per {@link XcclOptions#transport()}),
     * and returns after a barrier, when every rank has linked to every other. With {@code AUTO} a rank always
     * listens for TCP, since it learns only at rendezvous whether some peer is on another host.
     *
     * @throws XcclException if a rank does not appear or connect within the join timeout
     */
    public static Communicator join(XcclOptions o) {
        List<AutoCloseable> resources = new ArrayList<>();
        ShmTransport shm = null;
        try {
            ShmMailbox loopback = null;
            if (o.transport() != XcclOptions.Transport.TCP) {
                shm = new ShmTransport(o.shmDir(), o.rank(), o.worldSize(), o.numSlots(), o.slotBytes(),
                        o.heartbeatTimeout().toMillis());
                resources.add(shm);
            } else {
                loopback = ShmMailbox.anonymous(1, o.numSlots(), o.slotBytes());
                resources.add(loopback);
            }
            TcpTransport tcp = null;
            if (o.transport() != XcclOptions.Transport.SHM) {
                tcp = new TcpTransport(o.tcpHost(), o.rank(), o.worldSize(), o.slotBytes());
                resources.addFirst(tcp);
            }
            String host = PeerInfo.localHost();
            PeerInfo me = new PeerInfo(o.rank(), host, ProcessHandle.current().pid(),
                    shm == null ? "" : shm.mailboxFile().toString(), o.tcpHost(), tcp == null ? -1 : tcp.port());
            List<PeerInfo> peers = o.rendezvousDir() != null
                    ? Rendezvous.exchange(o.rendezvousDir(), me, o.worldSize(), o.joinTimeout())
                    : Rank0Rendezvous.exchange(o.rendezvousRank0(), me, o.worldSize(), o.joinTimeout());

            Link[] links = new Link[o.worldSize()];
            List<PeerInfo> remote = new ArrayList<>();
            for (PeerInfo p : peers) {
                if (p.rank() == o.rank()) {
                    links[p.rank()] = shm != null ? shm.selfLink()
                            : new RingLink(loopback.ring(0), loopback.ring(0), null, 0);
                } else if (shm != null && p.isOnHost(host) && !p.mailbox().isEmpty()) {
                    links[p.rank()] = shm.link(Path.of(p.mailbox()), o.worldSize(), p.rank(), p.pid());
                } else if (tcp != null && p.tcpPort() > 0) {
                    remote.add(p);
                } else {
                    throw new XcclException("rank " + p.rank() + " on host " + p.host() + " cannot be reached"
                            + " from rank " + o.rank() + " on " + host + " with transport " + o.transport());
                }
            }
            if (!remote.isEmpty()) {
                Link[] tcpLinks = tcp.connect(remote, o.joinTimeout());
                for (PeerInfo p : remote) {
                    links[p.rank()] = tcpLinks[p.rank()];
                }
            }
            Communicator comm = new Communicator(o.rank(), links, defaultIdle(), () -> closeAll(resources));
            comm.barrier();
            // Every peer has mapped our mailbox and read our entry: neither needs a name any more.
            if (shm != null) {
                shm.unlinkOwnMailbox();
            }
            if (o.rendezvousDir() != null) {
                Rendezvous.withdraw(o.rendezvousDir(), o.rank());
            }
            return comm;
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // Closing is best effort; the first failure is what the caller needs to see.
            }
        }
    }
}
