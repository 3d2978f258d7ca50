package dev.opsdeck.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A real TCP endpoint on loopback for {@code type: tcp} checks: accepts every connection, optionally
 * writes a reply, then hangs up. Closing it makes the checks fail with "connection refused".
 */
final class LocalTarget implements AutoCloseable {
    private final ServerSocket socket;
    private final String[] replies;
    private long connections;

    private LocalTarget(String... replies) throws IOException {
        this.socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.replies = replies;
        Thread.ofVirtual().name("local-target-" + port()).start(this::acceptLoop);
    }

    static LocalTarget open() throws IOException {
        return new LocalTarget();
    }

    /** A target that answers the connections in turn with these replies (one reply: always that). */
    static LocalTarget replying(String... replies) throws IOException {
        return new LocalTarget(replies);
    }

    /** A port nothing listens on (bound and released at once), for checks that must be down. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                if (replies.length > 0) {
                    OutputStream out = s.getOutputStream();
                    out.write(replies[(int) (connections++ % replies.length)].getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // closed, or the prober hung up first: either way, next connection
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
