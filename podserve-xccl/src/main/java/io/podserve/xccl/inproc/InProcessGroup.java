package io.podserve.xccl.inproc;

import io.podserve.xccl.Communicator;
import io.podserve.xccl.Link;
import io.podserve.xccl.shm.RingLink;
import io.podserve.xccl.shm.ShmMailbox;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * {@code worldSize} communicators in this process, one anonymous mailbox each. Hand communicator i to
 * thread i; close the group once every thread is done with its communicator.
 */
public final class InProcessGroup implements AutoCloseable {

    private final ShmMailbox[] mailboxes;
    private final Communicator[] communicators;

    public InProcessGroup(int worldSize, int numSlots, int slotBytes) {
        mailboxes = new ShmMailbox[worldSize];
        for (int r = 0; r < worldSize; r++) {
            mailboxes[r] = ShmMailbox.anonymous(worldSize, numSlots, slotBytes);
        }
        communicators = new Communicator[worldSize];
        for (int r = 0; r < worldSize; r++) {
            Link[] links = new Link[worldSize];
            for (int p = 0; p < worldSize; p++) {
                links[p] = new RingLink(mailboxes[p].ring(r), mailboxes[r].ring(p), null, 0);
            }
            communicators[r] = new Communicator(r, links, new BackoffIdleStrategy(), () -> { });
        }
    }

    public Communicator communicator(int rank) {
        return communicators[rank];
    }

    @Override
    public void close() {
        for (ShmMailbox m : mailboxes) {
            m.close();
        }
    }
}
