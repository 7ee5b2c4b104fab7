package io.podserve.xccl;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What one rank tells the others at rendezvous: where it runs and how to reach it.
 *
 * @param mailbox the shared-memory mailbox file, empty when the rank has none
 * @param tcpPort -1 when the rank does not listen for TCP
 */
public record PeerInfo(int rank, String host, long pid, String mailbox, String tcpHost, int tcpPort) {

    String toProperties() {
        return "rank=" + rank + "\nhost=" + host + "\npid=" + pid + "\nmailbox=" + mailbox
                + "\ntcpHost=" + tcpHost + "\ntcpPort=" + tcpPort + "\n";
    }

    static PeerInfo fromProperties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            return new PeerInfo(Integer.parseInt(p.getProperty("rank")), p.getProperty("host"),
                    Long.parseLong(p.getProperty("pid")), p.getProperty("mailbox"), p.getProperty("tcpHost"),
                    Integer.parseInt(p.getProperty("tcpPort")));
        } catch (IOException | RuntimeException e) {
            throw new XcclException("unreadable rendezvous entry: " + text.replace('\n', ' '), e);
        }
    }

    /** Whether this peer's pid names a process on the caller's host. */
    boolean isOnHost(String localHost) {
        return host.equals(localHost);
    }

    /** The kernel's host name (no DNS lookup, which can stall for seconds on a badly configured machine). */
    static String localHost() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "localhost";
            }
        }
    }
}
