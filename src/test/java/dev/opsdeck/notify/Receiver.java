package dev.opsdeck.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real HTTP receiver on a random port. Paths choose behaviour: {@code /ok} answers 200, {@code /fail} 500,
 * {@code /hang} never answers (until closed), {@code /redirect} redirects to itself forever, {@code /refuse}
 * answers 400, {@code /busy} answers 503 the first time and 200 after. Every request
 * is recorded with its headers and body.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, Map<String, List<String>> headers, String body, long atNanos) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile int okStatus = 200;
    private final AtomicBoolean busy = new AtomicBoolean(true);

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> at(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** From now on, /ok answers with this status (e.g. 202 or 204). */
    void okStatus(int status) {
        okStatus = status;
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        requests.add(new Request(path, Map.copyOf(x.getRequestHeaders()), body, System.nanoTime()));
        switch (path) {
            case "/hang" -> {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                x.sendResponseHeaders(200, -1);
            }
            case "/fail" -> respond(x, 500, "database is on fire");
            case "/refuse" -> respond(x, 400, "invalid payload");
            case "/busy" -> respond(x, busy.getAndSet(false) ? 503 : 200, "");
            case "/redirect" -> {
                x.getResponseHeaders().add("Location", url("/redirect"));
                x.sendResponseHeaders(302, -1);
            }
            default -> respond(x, okStatus, "");
        }
        x.close();
    }

    private static void respond(HttpExchange x, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) x.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
