package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code type: tcp} — connects to {@code host:port}; optionally sends {@code send} and reads up
 * to {@code read_limit} bytes until {@code expect} appears.
 */
public final class TcpCheck implements CheckType {
    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of("CONNECTED", "RESPONSE_TIME", "BODY");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[CONNECTED] == true");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        String host = f.requiredString("host");
        int port = f.integer("port", 0, 1, 65535);
        if (!f.has("port")) {
            f.problems().add(f.position(), f.section() + ": missing required key 'port'");
        }
        String send = f.string("send", null);
        String expect = f.string("expect", null);
        long limit = f.size("read_limit", 64L * 1024);
        if (host == null) {
            return null;
        }
        return context -> probe(host, port, send, expect, (int) limit, context.timeout());
    }

    private static Observation probe(String host, int port, String send, String expect, int limit, Duration timeout)
            throws Exception {
        Observation o = new Observation();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            o.put("CONNECTED", true);
            if (send != null) {
                socket.getOutputStream()
                        .write(send.replace("\\n", "\n").replace("\\r", "\r").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
            }
            if (expect != null || send != null) {
                String body = read(socket, expect, limit, deadline);
                o.put("BODY", body);
                if (expect != null && !body.contains(expect)) {
                    o.fail("expected \"" + expect + "\" in the reply, got \"" + abbreviate(body) + "\"");
                }
            }
        }
        return o;
    }

    private static String read(Socket socket, String expect, int limit, long deadline) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[4096];
        while (buf.size() < limit) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(chunk, 0, Math.min(chunk.length, limit - buf.size()));
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            buf.write(chunk, 0, n);
            if (expect != null && buf.toString(StandardCharsets.UTF_8).contains(expect)) {
                break;
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
