package dev.opsdeck.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP endpoint on loopback for tcp checks: {@link #up} accepts and closes each connection;
 * {@link #silent} accepts and then never reads or answers (a hanging peer). Closing it refuses connections.
 */
public final class TcpTarget implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private TcpTarget(int port, boolean answer) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    if (answer) s.close();
                    else held.add(s);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public static TcpTarget up() throws IOException {
        return new TcpTarget(0, true);
    }

    /** Listens again on a port used before (to bring a "down" target back). */
    public static TcpTarget up(int port) throws IOException {
        return new TcpTarget(port, true);
    }

    public static TcpTarget silent() throws IOException {
        return new TcpTarget(0, false);
    }

    /** A port nobody listens on: connections are refused. */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) s.close();
    }
}
