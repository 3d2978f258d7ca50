package dev.opsdeck.cli;

import dev.opsdeck.server.OpsdeckServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * A training run for the JVM's ahead-of-time cache: the launcher runs this once per build with
 * {@code -XX:AOTCacheOutput} so later starts load pre-parsed, pre-linked classes and reach /ready faster.
 * It starts a throwaway server on a free port, touches the main endpoints and stops.
 */
@Command(name = "warmup", hidden = true, description = "Start and stop a throwaway server (used to build the startup cache).")
final class WarmupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("opsdeck-warmup");
        try {
            Path config = dir.resolve("opsdeck.yaml");
            Files.writeString(config, """
                    server: { port: 0, data_dir: "%s" }
                    services:
                      self:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                    """.formatted(dir.resolve("data").toString().replace("\\", "/")));
            try (OpsdeckServer server = OpsdeckServer.start(config, new OpsdeckServer.Options(0, 60_000))) {
                HttpClient http = HttpClient.newHttpClient();
                for (String path : new String[] {"/ready", "/api/v1/services", "/metrics", "/", "/services/self",
                        "/api/v1/checks/self/port/history?window=1h"}) {
                    http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            }
            return Main.OK;
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
