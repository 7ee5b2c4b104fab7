package io.podserve.xccl;

import io.podserve.xccl.shm.MailboxDescriptor;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one rank joins a communicator. Every rank of a group must agree on world size, slot count and slot
 * size (a mailbox of another geometry is refused when mapped).
 *
 * @param rendezvousDir    a directory every rank can see (local, or shared by NFS across hosts), or null
 * @param rendezvousRank0  where rank 0 listens for the others' rendezvous (when there is no shared directory), or
 *                         null; exactly one of the two is set
 * @param joinTimeout      how long to wait for every peer to appear and connect
 * @param numSlots         slots per sender ring (power of two)
 * @param slotBytes        bytes per slot, the shared-memory chunk size (power of two)
 * @param heartbeatTimeout a same-host peer whose heartbeat is older than this is declared dead
 * @param tcpHost          the address this rank listens on for TCP peers
 * @param shmDir           where mailboxes live, /dev/shm normally
 */
public record XcclOptions(int rank, int worldSize, Path rendezvousDir, InetSocketAddress rendezvousRank0,
                          Transport transport, Duration joinTimeout, int numSlots, int slotBytes,
                          Duration heartbeatTimeout, String tcpHost, Path shmDir) {

    /** Which transports a rank may use. AUTO: shared memory to ranks on this host, TCP to the others. */
    public enum Transport { AUTO, SHM, TCP }

    // NOTE: 64 slots of 64 KiB: a 64 KiB chunk costs ~100 ns of bookkeeping against ~5 us of copying, and a
    // 4 MiB ring per sender lets the sender run on through a few hundred microseconds in which the receiver
    // is descheduled. Measured on the shared 2-core machine, 1 MiB streams ran at 4.3-7.1 GB/s with 16 slots,
    // 6.5-7.3 with 32 and 7.7-8.7 with 64 (memcpy: 7.5 GB/s).
    public static final int DEFAULT_NUM_SLOTS = 64;
    public static final int DEFAULT_SLOT_BYTES = 64 * 1024;

    public XcclOptions {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is outside a world of " + worldSize);
        }
        if ((rendezvousDir == null) == (rendezvousRank0 == null)) {
            throw new IllegalArgumentException("give either a rendezvous directory or rank 0's address");
        }
        MailboxDescriptor.checkGeometry(numSlots, slotBytes);
        if (joinTimeout.isNegative() || heartbeatTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be >= 0");
        }
    }

    /** Defaults, with rendezvous through a directory every rank sees. */
    public static XcclOptions of(int rank, int worldSize, Path rendezvousDir) {
        return defaults(rank, worldSize, rendezvousDir, null);
    }

    /** Defaults, with rendezvous through rank 0, which listens at {@code rank0}. */
    public static XcclOptions of(int rank, int worldSize, InetSocketAddress rank0) {
        return defaults(rank, worldSize, null, rank0);
    }

    private static XcclOptions defaults(int rank, int worldSize, Path dir, InetSocketAddress rank0) {
        return new XcclOptions(rank, worldSize, dir, rank0, Transport.AUTO, Duration.ofSeconds(30),
                DEFAULT_NUM_SLOTS, DEFAULT_SLOT_BYTES, Duration.ofSeconds(5), "127.0.0.1", Path.of("/dev/shm"));
    }

    public XcclOptions withTransport(Transport t) {
        return new XcclOptions(rank, worldSize, rendezvousDir, rendezvousRank0, t, joinTimeout, numSlots, slotBytes,
                heartbeatTimeout, tcpHost, shmDir);
    }

    public XcclOptions withJoinTimeout(Duration d) {
        return new XcclOptions(rank, worldSize, rendezvousDir, rendezvousRank0, transport, d, numSlots, slotBytes,
                heartbeatTimeout, tcpHost, shmDir);
    }

    public XcclOptions withSlots(int slots, int bytesPerSlot) {
        return new XcclOptions(rank, worldSize, rendezvousDir, rendezvousRank0, transport, joinTimeout, slots,
                bytesPerSlot, heartbeatTimeout, tcpHost, shmDir);
    }

    public XcclOptions withTcpHost(String host) {
        return new XcclOptions(rank, worldSize, rendezvousDir, rendezvousRank0, transport, joinTimeout, numSlots,
                slotBytes, heartbeatTimeout, host, shmDir);
    }
}
