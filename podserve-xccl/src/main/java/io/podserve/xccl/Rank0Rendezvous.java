package io.podserve.xccl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Rendezvous through rank 0, for ranks that share no directory: rank 0 listens at the given address, every
 * other rank connects (retrying until rank 0 is up) and sends its {@link PeerInfo}; once rank 0 holds all of
 * them it sends the whole table back to each. Plain blocking sockets: this runs once, before any data moves.
 */
final class Rank0Rendezvous {

    private Rank0Rendezvous() {
    }

    static List<PeerInfo> exchange(InetSocketAddress rank0, PeerInfo me, int worldSize, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return me.rank() == 0 ? serve(rank0, me, worldSize, deadline, timeout) : join(rank0, me, deadline, timeout);
    }

    private static List<PeerInfo> serve(InetSocketAddress at, PeerInfo me, int worldSize, long deadline,
                                        Duration timeout) {
        PeerInfo[] table = new PeerInfo[worldSize];
        table[0] = me;
        List<Socket> peers = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(at);
            for (int joined = 1; joined < worldSize; ) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    throw missing(table, at, timeout);
                }
                server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
                Socket s;
                try {
                    s = server.accept();
                } catch (SocketTimeoutException e) {
                    throw missing(table, at, timeout);
                }
                peers.add(s);
                PeerInfo p = PeerInfo.fromProperties(new DataInputStream(s.getInputStream()).readUTF());
                if (p.rank() <= 0 || p.rank() >= worldSize || table[p.rank()] != null) {
                    throw new XcclException("rank 0 got a rendezvous from rank " + p.rank() + " at "
                            + s.getRemoteSocketAddress()
                            + ", which is out of range or a duplicate (world of " + worldSize + ")");
                }
                table[p.rank()] = p;
                joined++;
            }
            StringBuilder all = new StringBuilder();
            for (PeerInfo p : table) {
                all.append(p.toProperties().replace('\n', ';')).append('\n');
            }
            for (Socket s : peers) {
                new DataOutputStream(s.getOutputStream()).writeUTF(all.toString());
            }
            return List.of(table);
        } catch (IOException e) {
            throw new XcclException("rank 0 cannot serve the rendezvous at " + at + ": " + e.getMessage(), e);
        } finally {
            for (Socket s : peers) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // The table has been sent or the rendezvous failed; either way the socket is done.
                }
            }
        }
    }

    private static XcclException missing(PeerInfo[] table, InetSocketAddress at, Duration timeout) {
        List<Integer> absent = new ArrayList<>();
        for (int r = 0; r < table.length; r++) {
            if (table[r] == null) {
                absent.add(r);
            }
        }
        return new XcclException("rank(s) " + absent + " of " + table.length + " did not reach rank 0 at " + at
                + " within " + timeout.toMillis() + " ms");
    }

    private static List<PeerInfo> join(InetSocketAddress rank0, PeerInfo me, long deadline, Duration timeout) {
        while (true) {
            try (Socket s = new Socket()) {
                long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                s.connect(rank0, (int) Math.min(Integer.MAX_VALUE, leftMillis));
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
                new DataOutputStream(s.getOutputStream()).writeUTF(me.toProperties());
                String all = new DataInputStream(s.getInputStream()).readUTF();
                return all.lines().map(l -> PeerInfo.fromProperties(l.replace(';', '\n'))).toList();
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new XcclException("rank " + me.rank() + " could not rendezvous with rank 0 at " + rank0
                            + " within " + timeout.toMillis() + " ms: " + e.getMessage(), e);
                }
                LockSupport.parkNanos(20_000_000);   // rank 0 may not be listening yet
            }
        }
    }
}
