package dev.opsdeck.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small stack modelled on StellarEscrow: {@code api}, {@code indexer} and {@code web}, each an
 * HTTP server on loopback with a JSON {@code /health} endpoint. Faults are injected per service
 * through {@code POST /_fault/MODE} on that service's own port (what {@code opsdeck demo fault} calls).
 * Its {@link DemoInbox} receives the notifications the demo sends.
 */
public final class DemoStack implements AutoCloseable {
    /** How a demo service answers its health checks. */
    public enum Mode {
        OK,
        DOWN,
        SLOW,
        FLAP
    }

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final DemoInbox inbox;

    private DemoStack(DemoInbox inbox) {
        this.inbox = inbox;
    }

    public static DemoStack start(String... names) throws IOException {
        DemoStack stack = new DemoStack(DemoInbox.start());
        for (String name : names) {
            stack.targets.put(name, new Target(name));
        }
        return stack;
    }

    /** The webhook receiver the demo's notification channel posts to. */
    public DemoInbox inbox() {
        return inbox;
    }

    public Map<String, Integer> ports() {
        Map<String, Integer> out = new LinkedHashMap<>();
        targets.forEach((k, v) -> out.put(k, v.server.getAddress().getPort()));
        return out;
    }

    public void fault(String service, Mode mode) {
        Target t = targets.get(service);
        if (t == null) throw new IllegalArgumentException("no demo service " + service);
        t.mode = mode;
    }

    @Override
    public void close() {
        targets.values().forEach(t -> t.server.stop(0));
        inbox.close();
    }

    private static final class Target {
        final String name;
        final HttpServer server;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong ledger = new AtomicLong(51_234_000);
        volatile Mode mode = Mode.OK;

        Target(String name) throws IOException {
            this.name = name;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/health", this::health);
            server.createContext("/_fault/", this::fault);
            server.start();
        }

        private void health(HttpExchange ex) throws IOException {
            long n = requests.incrementAndGet();
            Mode m = mode;
            boolean healthy = m == Mode.OK || m == Mode.SLOW || m == Mode.FLAP && n % 2 == 0;
            if (m == Mode.SLOW) sleep(600);
            else sleep(5 + n % 20);
            String body = "{\"status\":\"" + (healthy ? "healthy" : "unhealthy") + "\",\"service\":\"" + name
                    + "\",\"ledger\":" + ledger.addAndGet(1) + ",\"lag_seconds\":" + (healthy ? 2 : 420) + "}";
            send(ex, healthy ? 200 : 503, body);
        }

        private void fault(HttpExchange ex) throws IOException {
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, "{\"error\":\"use POST\"}");
                return;
            }
            String modeText = ex.getRequestURI().getPath().substring("/_fault/".length());
            try {
                mode = Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
                send(ex, 200, "{\"service\":\"" + name + "\",\"mode\":\"" + modeText + "\"}");
            } catch (IllegalArgumentException e) {
                send(ex, 400, "{\"error\":\"unknown mode; use ok, down, slow or flap\"}");
            }
        }

        private static void send(HttpExchange ex, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
