package dev.opsdeck.cli;

import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.server.OpsdeckServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * A training run for the JVM's ahead-of-time cache: the launcher runs this once per build with
 * {@code -XX:AOTCacheOutput} so later starts load pre-parsed, pre-linked classes, with the profiles the JIT
 * needs, and reach /ready faster. It starts a throwaway server on a free port whose one check fails at once,
 * waits until that failure has paged a local webhook receiver (so the first real page does not run the alert,
 * incident, outbox and HTTP client code cold), touches the main endpoints and stops.
 */
@Command(
        name = "warmup",
        hidden = true,
        description = "Start and stop a throwaway server (used to build the startup cache).")
final class WarmupCommand implements Callable<Integer> {
    /** Not a failure if it never comes: the cache is then only less complete. */
    static final long PAGE_WAIT_SECONDS = 20;

    /** True when the throwaway server's page reached the receiver (for the test). */
    boolean paged;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("opsdeck-warmup");
        CountDownLatch page = new CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            page.countDown();
        });
        receiver.start();
        try {
            Path config = dir.resolve("opsdeck.yaml");
            // port 9 (discard) is closed on any machine that does not run inetd's discard service
            Files.writeString(config, """
                    server: { port: 0, data_dir: "%s" }
                    services:
                      self:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s, failure_threshold: 1 }
                    channels:
                      hook: { type: webhook, url: "http://127.0.0.1:%d/hook" }
                    incidents: { notify: [hook] }
                    """.formatted(
                            dir.resolve("data").toString().replace("\\", "/"),
                            receiver.getAddress().getPort()));
            try (OpsdeckServer server = OpsdeckServer.start(config, new OpsdeckServer.Options(0, 60_000))) {
                paged = page.await(PAGE_WAIT_SECONDS, TimeUnit.SECONDS);
                HttpClient http = HttpClient.newHttpClient();
                for (String path : new String[] {
                    "/ready",
                    "/api/v1/services",
                    "/metrics",
                    "/",
                    "/services/self",
                    "/api/v1/checks/self/port/history?window=1h"
                }) {
                    http.send(
                            HttpRequest.newBuilder(URI.create(server.url() + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            }
            return Main.OK;
        } finally {
            receiver.stop(0);
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
