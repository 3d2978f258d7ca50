package dev.opsdeck.probe.types;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving TCP target. HOLD accepts and never says a word (the target that hangs a naive
 * client forever); CLOSE hangs up right after accepting; GARBAGE answers every connection with
 * a line of plain text, whatever protocol the client speaks.
 */
final class SilentServer implements AutoCloseable {
    enum Mode {
        HOLD,
        CLOSE,
        GARBAGE
    }

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    SilentServer(Mode mode) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    switch (mode) {
                        case CLOSE -> s.close();
                        case GARBAGE -> {
                            s.getOutputStream()
                                    .write("HELLO this is not what you expected\r\n"
                                            .getBytes(StandardCharsets.US_ASCII));
                            held.add(s);
                        }
                        case HOLD -> held.add(s);
                    }
                } catch (IOException e) {
                    if (server.isClosed()) return;
                }
            }
        });
    }

    SilentServer() throws IOException {
        this(Mode.HOLD);
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) s.close();
    }
}
