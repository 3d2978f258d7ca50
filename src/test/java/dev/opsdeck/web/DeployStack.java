package dev.opsdeck.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A deployable service for the deploy page tests: a python3 http.server serving the files that a real runbook's shell
 * step copies from a release folder, so each deploy really changes the version the service answers with. Releases:
 * 0.9.0 (what it runs at the start), 1.0.0 and 1.1.0 are good; 2.0.0 answers but its error rate fails the bake; 3.0.0 never becomes ready and answers
 * with markup in its body (which the pages must show as text).
 */
final class DeployStack implements AutoCloseable {
    static final String PAYLOAD = "<script>alert('deploy')</script>";

    final Path dir;
    final int port;
    private final Process web;

    private DeployStack(Path dir, int port, Process web) {
        this.dir = dir;
        this.port = port;
        this.web = web;
    }

    static DeployStack start(Path dir) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        release(dir, "1.0.0", "ok", 0.0);
        release(dir, "1.1.0", "ok", 0.0);
        release(dir, "2.0.0", "ok", 0.5);
        release(dir, "3.0.0", "starting " + PAYLOAD, 0.0);
        // the service answers before its first deploy (an old build, 0.9.0): its checks are up, so no open
        // incident freezes its deploys
        release(dir, "0.9.0", "ok", 0.0);
        for (String f : new String[] {"health.json", "errors.json"})
            Files.copy(dir.resolve("releases/0.9.0").resolve(f), www.resolve(f));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process web = new ProcessBuilder(
                        "python3",
                        "-m",
                        "http.server",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--directory",
                        www.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("web.log").toFile())
                .start();
        DeployStack stack = new DeployStack(dir, port, web);
        HttpClient http = HttpClient.newHttpClient();
        TestServer.await(Duration.ofSeconds(20), "the web server", () -> {
            try {
                return http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return stack;
    }

    private static void release(Path dir, String version, String status, double errorRate) throws IOException {
        Path d = Files.createDirectories(dir.resolve("releases").resolve(version));
        Files.writeString(
                d.resolve("health.json"),
                "{\"status\": \"" + status.replace("\"", "\\\"") + "\", \"version\": \"" + version + "\"}");
        Files.writeString(d.resolve("errors.json"), "{\"error_rate\": " + errorRate + "}");
    }

    /**
     * The services (indented for {@link TestServer#start}) and the runbook: {@code shop} deploys through a gate and a
     * bake of {@code bake}; {@code frozen} is always in a freeze window; {@code guarded} needs a second operator.
     */
    String yaml(String bake) {
        return """
                  shop:
                    checks:
                      health:
                        type: http
                        url: http://127.0.0.1:%1$d/health.json
                        interval: 1h
                        conditions: ["[STATUS] == 200", "[BODY].status == ok"]
                      errors: { type: http, url: "http://127.0.0.1:%1$d/errors.json", interval: 1h }
                    deploy:
                      runbook: ship
                      gate:
                        delay: 200ms
                        timeout: 1500ms
                        interval: 200ms
                        checks:
                          - check: health
                            conditions: ["[BODY].version == {{version}}"]
                      bake:
                        duration: %2$s
                        interval: 200ms
                        analysis:
                          - check: errors
                            conditions: ["[BODY].error_rate < 0.05"]
                            samples: 5
                            failures: 2
                  frozen:
                    checks:
                      up: { type: http, url: "http://127.0.0.1:%1$d/health.json", interval: 1h }
                    deploy:
                      runbook: ship
                      freeze:
                        windows: [ { name: always, days: [mon, tue, wed, thu, fri, sat, sun], at: "00:00", for: 24h } ]
                  guarded:
                    checks:
                      up: { type: http, url: "http://127.0.0.1:%1$d/", interval: 1h }
                    deploy:
                      runbook: ship
                      approval: { role: operator, four_eyes: true }
                runbooks:
                  ship:
                    params:
                      version: { required: true, pattern: "^[A-Za-z0-9._-]+$" }
                      previous_version: {}
                    steps:
                      - id: install
                        type: shell
                        run: |
                          test -d "$RELEASES/$1" || { echo "no release $1"; exit 1; }
                          sleep 0.5
                          cp "$RELEASES/$1"/*.json "$WWW"/
                          echo "installed $1 (was ${2:-nothing})"
                        args: ["{{params.version}}", "{{params.previous_version}}"]
                        env: { RELEASES: "%3$s", WWW: "%4$s" }
                """.formatted(port, bake, dir.resolve("releases"), dir.resolve("www"));
    }

    @Override
    public void close() {
        web.destroyForcibly();
    }
}
