package io.podserve.cli.bench.xccl;

import io.aeron.Aeron;
import io.podserve.xccl.Xccl;
import io.aeron.FragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The reference peer of {@code xccl-bench}: the same ping-pong and stream as {@link XcclBenchRank} ranks 0 and
 * 1, through Aeron IPC ({@code aeron:ipc}) and the media driver the launcher runs. Its own process, like an
 * xccl rank. Peer 0 prints the {@code RESULT} lines. A message is "received" when the application holds it in
 * its own buffer, as with xccl's recv: an unfragmented message is copied out of the log buffer, a fragmented one
 * is already whole in the assembler's buffer.
 *
 * <p>Arguments: {@code peer aeronDirectory sizes}.
 */
public final class AeronBenchPeer {

    private static final String CHANNEL = "aeron:ipc";
    private static final int STREAM_PING = 1001;
    private static final int STREAM_PONG = 1002;

    private final ExclusivePublication out;
    private final Subscription in;
    private final UnsafeBuffer buffer;
    private final UnsafeBuffer received;
    private final FragmentAssembler assembler;
    private final IdleStrategy idle = new BackoffIdleStrategy(Xccl.IDLE_SPINS, Xccl.IDLE_YIELDS, 1_000, 100_000);
    private int numReceived;

    private AeronBenchPeer(Aeron aeron, int peer, int maxBytes) {
        this.out = aeron.addExclusivePublication(CHANNEL, peer == 0 ? STREAM_PING : STREAM_PONG);
        this.in = aeron.addSubscription(CHANNEL, peer == 0 ? STREAM_PONG : STREAM_PING);
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(maxBytes));
        this.received = new UnsafeBuffer(ByteBuffer.allocateDirect(maxBytes));
        int maxPayload = out.maxPayloadLength();
        FragmentHandler onMessage = (buf, offset, length, header) -> {
            if (length <= maxPayload) {
                received.putBytes(0, buf, offset, length);
            }
            numReceived++;
        };
        this.assembler = new FragmentAssembler(onMessage);
    }

    public static void main(String[] args) {
        int peer = Integer.parseInt(args[0]);
        long[] sizes = BenchPlan.parseSizes(args[2]);
        int maxBytes = (int) Math.max(8, java.util.Arrays.stream(sizes).max().orElse(8));
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[1]))) {
            AeronBenchPeer p = new AeronBenchPeer(aeron, peer, maxBytes);
            while (!p.out.isConnected() || !p.in.isConnected()) {
                p.idle.idle();
            }
            for (long size : sizes) {
                if (size > p.out.maxMessageLength()) {
                    if (peer == 0) {
                        System.out.println(BenchPlan.p2pLine(size, -1, -1, -1));
                    }
                    continue;
                }
                p.pointToPoint(peer, (int) size);
            }
            p.out.close();
            p.in.close();
        }
        System.out.flush();
        System.exit(0);
    }

    private void pointToPoint(int peer, int size) {
        pingPong(peer, size, BenchPlan.warmupRoundTrips(size), null);
        int n = BenchPlan.roundTrips(size);
        long[] rtt = new long[n];
        pingPong(peer, size, n, rtt);
        int messages = BenchPlan.streamMessages(size);
        long t0 = System.nanoTime();
        if (peer == 0) {
            for (int i = 0; i < messages; i++) {
                send(size);
            }
            receive(1);
        } else {
            receive(messages);
            send(8);
        }
        double bytesPerSecond = (double) messages * size / ((System.nanoTime() - t0) / 1e9);
        if (peer == 0) {
            System.out.println(BenchPlan.p2pLine(size, BenchPlan.quantile(rtt, n, 0.5) / 2,
                    BenchPlan.quantile(rtt, n, 0.99) / 2, bytesPerSecond));
        }
    }

    private void pingPong(int peer, int size, int n, long[] rtt) {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            if (peer == 0) {
                send(size);
                receive(1);
            } else {
                receive(1);
                send(size);
            }
            if (rtt != null) {
                rtt[i] = System.nanoTime() - t0;
            }
        }
    }

    private void send(int size) {
        idle.reset();
        while (out.offer(buffer, 0, size) < 0) {
            idle.idle();
        }
    }

    private void receive(int messages) {
        numReceived = 0;
        idle.reset();
        while (numReceived < messages) {
            idle.idle(in.poll(assembler, 16));
        }
    }
}
