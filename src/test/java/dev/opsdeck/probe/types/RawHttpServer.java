package dev.opsdeck.probe.types;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A real TCP server that answers each request head with exactly the bytes a test gives it, to try the
 * framings and misbehaviours a library server would not produce (chunked bodies, bodies that end at
 * close, closing a kept-alive connection, garbage). It counts connections and records request heads.
 */
final class RawHttpServer implements AutoCloseable {
    /** What to send for a request head; {@code close} hangs up after sending. */
    record Answer(String bytes, boolean close) {}

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    RawHttpServer(Function<String, Answer> answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    Thread.ofPlatform().daemon().start(() -> serve(s, answer));
                } catch (IOException e) {
                    if (server.isClosed()) return;
                }
            }
        });
    }

    private void serve(Socket s, Function<String, Answer> answer) {
        try (s) {
            InputStream in = s.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                requests.add(head);
                Answer a = answer.apply(head);
                s.getOutputStream().write(a.bytes().getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (a.close()) return;
            }
        } catch (IOException ignored) {
            // the client hung up
        }
    }

    /** The request head up to the empty line, plus a body announced by Content-Length; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        var m = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(text);
        if (m.find()) text += new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1);
        return text;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int connections() {
        return connections.get();
    }

    List<String> requests() {
        return requests;
    }

    /** Hangs up every connection now, as a server does when its keep-alive timeout passes. */
    void closeConnections() throws IOException {
        for (Socket s : open) s.close();
        open.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeConnections();
    }
}
