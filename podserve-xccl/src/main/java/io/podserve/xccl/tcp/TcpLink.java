package io.podserve.xccl.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.podserve.xccl.FrameHandler;
import io.podserve.xccl.Link;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A link over one TCP connection. The communicator's thread calls the {@link Link} methods; the Netty event
 * loop calls the handler methods, which only queue decoded frames and record a lost connection.
 *
 * <p>Frame on the wire: {@code length (int, of what follows) | tag | eventId | messageBytes | chunkOffset |
 * payload}, the longs big-endian as Netty writes them. Back-pressure: when {@link #HIGH_FRAMES} frames wait
 * unread the connection stops reading, so a slow receiver stalls its sender through TCP's window instead of
 * growing the queue.
 */
final class TcpLink extends ChannelInboundHandlerAdapter implements Link {
    /** How long close() waits for queued writes to reach the socket before closing anyway. */
    private static final long CLOSE_FLUSH_MILLIS = 2_000;


    static final int HEADER_BYTES = 4 * Long.BYTES;
    private static final int HIGH_FRAMES = 64;
    private static final int LOW_FRAMES = 16;

    private final int peer;
    private final int chunkBytes;
    private final ConcurrentLinkedQueue<ByteBuf> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger numQueued = new AtomicInteger();
    private volatile Channel channel;
    private volatile String failure;

    TcpLink(int peer, int chunkBytes) {
        this.peer = peer;
        this.chunkBytes = chunkBytes;
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    boolean isAttached() {
        return channel != null;
    }

    @Override
    public int maxChunkBytes() {
        return chunkBytes;
    }

    @Override
    public boolean offer(long tag, long eventId, long messageBytes, long chunkOffset,
                         MemorySegment src, long srcOffset, int bytes) {
        Channel ch = channel;
        if (failure != null || !ch.isWritable()) {
            return false;
        }
        ByteBuf buf = ch.alloc().directBuffer(Integer.BYTES + HEADER_BYTES + bytes);
        buf.writeInt(HEADER_BYTES + bytes).writeLong(tag).writeLong(eventId).writeLong(messageBytes)
                .writeLong(chunkOffset);
        if (bytes > 0) {
            buf.writeBytes(src.asSlice(srcOffset, bytes).asByteBuffer());
        }
        ch.writeAndFlush(buf, ch.voidPromise());
        return true;
    }

    @Override
    public boolean poll(FrameHandler handler) {
        ByteBuf frame = inbox.poll();
        if (frame == null) {
            resumeReadingIfDrained();
            return false;
        }
        try {
            long tag = frame.readLong();
            long eventId = frame.readLong();
            long messageBytes = frame.readLong();
            long chunkOffset = frame.readLong();
            int bytes = frame.readableBytes();
            MemorySegment data = MemorySegment.ofBuffer(frame.nioBuffer());
            handler.onFrame(tag, eventId, messageBytes, chunkOffset, data, 0, bytes);
        } finally {
            frame.release();
            numQueued.decrementAndGet();
            resumeReadingIfDrained();
        }
        return true;
    }

    /**
     * The event loop may pause reading just after this thread drained the queue (it saw 64 frames a moment
     * earlier), so the check runs on every poll, empty or not, rather than once on crossing the low mark.
     */
    private void resumeReadingIfDrained() {
        Channel ch = channel;
        if (numQueued.get() <= LOW_FRAMES && ch != null && !ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
        }
    }

    @Override
    public String failure() {
        // Frames that arrived before the loss are still delivered first.
        return inbox.isEmpty() ? failure : null;
    }

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            // NOTE: a plain close() fails the writes still in Netty's outbound buffer (the socket's buffer was
            // full), so a rank's last messages, a barrier's, could vanish and its peer see the connection drop
            // with an operation pending. An empty write completes once everything before it is flushed; close
            // after it. Bounded, for a peer that stopped reading.
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (!ch.closeFuture().awaitUninterruptibly(CLOSE_FLUSH_MILLIS)) {
                ch.close();
            }
        }
        ByteBuf b;
        while ((b = inbox.poll()) != null) {
            b.release();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inbox.add((ByteBuf) msg);
        if (numQueued.incrementAndGet() >= HIGH_FRAMES) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (failure == null) {
            failure = "its TCP connection " + ctx.channel().remoteAddress() + " closed";
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = "its TCP connection failed: " + cause.getMessage();
        ctx.close();
    }

    @Override
    public String toString() {
        return "tcp link to rank " + peer;
    }
}
