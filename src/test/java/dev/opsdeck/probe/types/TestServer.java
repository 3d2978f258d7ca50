package dev.opsdeck.probe.types;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** A real in-process HTTP(S) server with the pages the http and prometheus tests need. */
final class TestServer implements AutoCloseable {
    static final String METRICS = """
            # HELP http_requests_total Requests.
            # TYPE http_requests_total counter
            http_requests_total{method="GET",code="200"} 1027
            http_requests_total{method="POST",code="200"} 3
            http_requests_total{method="GET",code="500",path="/a \\"quoted\\" \\\\ x"} 7
            http_requests_total_created 1.6e9
            up 1
            temperature{room="lab"} -3.5 1700000000000
            """;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String base;

    private TestServer(HttpServer server, String scheme) {
        this.server = server;
        server.setExecutor(pool);
        routes();
        server.start();
        base = scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    static TestServer http() throws IOException {
        return new TestServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    }

    static TestServer https(SSLContext context) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(context));
        return new TestServer(s, "https");
    }

    String url(String path) {
        return base + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void routes() {
        route("/ok", x -> send(x, 200, "application/json", "{\"status\":\"healthy\",\"items\":[1,2,3]}"));
        route("/degraded", x -> send(x, 200, "application/json", "{\"status\":\"degraded\"}"));
        route("/html", x -> send(x, 200, "text/html", "<html>down for maintenance</html>"));
        route("/fail", x -> send(x, 503, "text/plain", "unavailable"));
        route("/metrics", x -> send(x, 200, "text/plain; version=0.0.4", METRICS));
        route(
                "/echo",
                x -> send(
                        x,
                        200,
                        "text/plain",
                        x.getRequestMethod() + " "
                                + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " "
                                + x.getRequestHeaders().getFirst("X-Probe")));
        route("/latin1", x -> {
            x.getResponseHeaders().set("Content-Type", "text/plain; charset=ISO-8859-1");
            byte[] b = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
        });
        route("/big", x -> {
            // 50 MB, streamed: the client must stop reading long before the end
            x.sendResponseHeaders(200, 50_000_000L);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            OutputStream out = x.getResponseBody();
            for (long sent = 0; sent < 50_000_000L; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, 50_000_000L - sent));
            }
        });
        route("/stall", x -> {
            // headers and a little body, then nothing: the body read must also end at the timeout
            x.sendResponseHeaders(200, 1000);
            x.getResponseBody().write("partial".getBytes(StandardCharsets.UTF_8));
            x.getResponseBody().flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        route("/moved", x -> redirect(x, 301, "/ok"));
        route("/see-other", x -> redirect(x, 303, "/echo"));
        route("/loop-a", x -> redirect(x, 302, "/loop-b"));
        route("/loop-b", x -> redirect(x, 302, base + "/loop-a"));
        route("/chain/", x -> {
            int n = Integer.parseInt(x.getRequestURI().getPath().substring("/chain/".length()));
            redirect(x, 302, "/chain/" + (n + 1));
        });
    }

    private void route(String path, Handler h) {
        HttpHandler handler = x -> {
            try (x) {
                h.handle(x);
            } catch (IOException ignored) {
                // the client hung up (e.g. after max_body): expected in these tests
            }
        };
        server.createContext(path, handler);
    }

    private interface Handler {
        void handle(HttpExchange x) throws IOException;
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("X-Served-By", "test");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    private static void redirect(HttpExchange x, int status, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        x.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
