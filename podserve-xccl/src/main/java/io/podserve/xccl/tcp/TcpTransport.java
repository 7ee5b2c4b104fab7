package io.podserve.xccl.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.podserve.xccl.PeerInfo;
import io.podserve.xccl.XcclException;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * This rank's side of the TCP transport: a Netty listener, one event-loop thread, and one {@link TcpLink}
 * per remote peer. Pairs connect one way only: the higher rank dials the lower and introduces itself with a
 * hello frame holding its rank; the lower rank accepts and files the connection under that rank.
 */
public final class TcpTransport implements AutoCloseable {

    private static final int MAX_FRAME_BYTES = 64 << 20;

    private final int rank;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final TcpLink[] links;
    private final Channel server;

    /** Starts listening on {@code host} (an ephemeral port). */
    public TcpTransport(String host, int rank, int worldSize, int chunkBytes) {
        this.rank = rank;
        this.links = new TcpLink[worldSize];
        for (int p = 0; p < worldSize; p++) {
            links[p] = new TcpLink(p, chunkBytes);
        }
        try {
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(decoder(), new Hello());
                        }
                    })
                    .bind(host, 0).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new XcclException("rank " + rank + " cannot listen for TCP on " + host + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Dials every lower-ranked peer in {@code remote} and waits until every higher-ranked one has dialled in.
     *
     * @param remote the peers this rank reaches over TCP, indexed by nothing in particular
     */
    public TcpLink[] connect(List<PeerInfo> remote, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PeerInfo p : remote) {
            if (p.rank() < rank) {
                dial(p, timeout);
            }
        }
        for (PeerInfo p : remote) {
            while (!links[p.rank()].isAttached()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new XcclException("rank " + p.rank() + " at " + p.host() + " did not connect to rank "
                            + rank + " over TCP within " + timeout.toMillis() + " ms");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
        return links;
    }

    private void dial(PeerInfo p, Duration timeout) {
        TcpLink link = links[p.rank()];
        try {
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(decoder(), link);
                        }
                    })
                    .connect(p.tcpHost(), p.tcpPort()).sync().channel();
            ByteBuf hello = ch.alloc().buffer(8).writeInt(Integer.BYTES).writeInt(rank);
            ch.writeAndFlush(hello).sync();
            link.attach(ch);
        } catch (Exception e) {
            throw new XcclException("rank " + rank + " cannot connect to rank " + p.rank() + " at " + p.tcpHost()
                    + ":" + p.tcpPort() + ": " + e.getMessage(), e);
        }
    }

    private static LengthFieldBasedFrameDecoder decoder() {
        return new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, Integer.BYTES, 0, Integer.BYTES);
    }

    private static WriteBufferWaterMark waterMark() {
        return new WriteBufferWaterMark(1 << 20, 4 << 20);
    }

    /** The first frame on an accepted connection: the dialling rank. Then the connection is that rank's link. */
    private final class Hello extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            int peer;
            try {
                peer = frame.readInt();
            } finally {
                frame.release();
            }
            if (peer <= rank || peer >= links.length || links[peer].isAttached()) {
                ctx.close();   // not a peer of ours: a stray or duplicate connection
                return;
            }
            ctx.pipeline().replace(this, "link", links[peer]);
            links[peer].attach(ctx.channel());
        }
    }

    @Override
    public void close() {
        for (TcpLink l : links) {
            l.close();
        }
        server.close();
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
