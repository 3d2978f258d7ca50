// Runbook-engine benchmark. Run from the repository root with a JDK >= 22:
//   ./bench/runbook-bench.sh [--checks=1000] [--runs=100]
// 1. Engine overhead per step: one run of a runbook of 200 `sleep 1ms` steps; overhead = (run duration - 200 ms) / 200,
//    i.e. recording each step in the store (a row when it starts, again when it ends), when/template handling, the
//    run's own updates. Repeated 5 times, reported per run.
// 2. 100 concurrent runs (each 10 shell steps of `sleep 0.5`: 100 child processes at a time) beside N http checks at
//    10 s: schedule lag p50/p99 of the monitoring engine in a window without runs and in a window with them.
// Uses MonitorBench.java's helpers (same directory) and PagingServer.java as the server process.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class RunbookBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String base;
    static String key;

    public static void main(String[] args) throws Exception {
        int checks = 1000, runs = 100;
        for (String a : args) {
            if (a.startsWith("--checks=")) checks = Integer.parseInt(a.substring(9));
            if (a.startsWith("--runs=")) runs = Integer.parseInt(a.substring(7));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path work = Files.createTempDirectory("opsdeck-runbook-bench");
        int targetPort = MonitorBench.freePort();
        Process target = new ProcessBuilder(java, "bench/Target.java", String.valueOf(targetPort))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("target.log").toFile())
                .start();
        MonitorBench.waitFor("http://127.0.0.1:" + targetPort + "/health", Duration.ofSeconds(30));
        int port = MonitorBench.freePort();
        StringBuilder y =
                new StringBuilder("server: { port: " + port + ", data_dir: \"" + work.resolve("data") + "\" }\n");
        y.append("runbooks:\n  noop:\n    concurrency: { mode: parallel }\n    steps:\n");
        for (int i = 0; i < 200; i++) y.append("      - { id: s").append(i).append(", type: sleep, duration: 1ms }\n");
        y.append("  busy:\n    concurrency: { mode: parallel }\n    steps:\n");
        for (int i = 0; i < 10; i++)
            y.append("      - { id: s").append(i).append(", type: shell, run: \"sleep 0.5\" }\n");
        y.append("services:\n");
        for (int s = 0; s < checks; s++) {
            y.append("  svc")
                    .append(s)
                    .append(":\n    checks:\n      health: { type: http, url: \"http://127.0.0.1:")
                    .append(targetPort)
                    .append("/health?s=")
                    .append(s)
                    .append(
                            "\", interval: 10s, timeout: 5s, conditions: [\"[STATUS] == 200\", \"[BODY].status == healthy\"] }\n");
        }
        Path config = Files.writeString(work.resolve("opsdeck.yaml"), y);
        Path keyFile = work.resolve("key");
        Process server = new ProcessBuilder(
                        java,
                        "-XX:+UseSerialGC",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "bench/PagingServer.java",
                        config.toString(),
                        keyFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile())
                .start();
        base = "http://127.0.0.1:" + port;
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Files.exists(keyFile)) {
                if (!server.isAlive() || System.currentTimeMillis() > deadline)
                    throw new IllegalStateException("no server; see " + work);
                Thread.sleep(50);
            }
            key = Files.readString(keyFile).trim();
            System.out.println("machine: " + MonitorBench.CORES + " cores; java " + System.getProperty("java.version")
                    + "; " + checks + " checks @10s; work " + work);
            Thread.sleep(20_000); // the checks' first runs are spread over one interval
            for (int i = 0; i < 5; i++) {
                String id = start("noop");
                var run = awaitEnd(id);
                long total = run.path("duration_ms").asLong();
                System.out.printf(
                        Locale.ROOT,
                        "noop run %d: 200 steps in %d ms: engine overhead %.2f ms per step%n",
                        i + 1,
                        total,
                        (total - 200.0) / 200);
            }
            Map<String, Double> before = MonitorBench.scrape(port);
            Thread.sleep(15_000);
            Map<String, Double> quiet = MonitorBench.scrape(port);
            System.out.println("without runs, 15 s: lag p50 " + MonitorBench.lagQuantile(before, quiet, 0.5) + " p99 "
                    + MonitorBench.lagQuantile(before, quiet, 0.99));
            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < runs; i++) ids.add(start("busy"));
            int ok = 0;
            for (String id : ids) if (awaitEnd(id).path("status").asText().equals("succeeded")) ok++;
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> busy = MonitorBench.scrape(port);
            System.out.printf(
                    Locale.ROOT,
                    "%d concurrent runs of 10 x sleep 0.5: %d succeeded in %.1f s (ideal 5 s); "
                            + "lag p50 %s p99 %s%n",
                    runs,
                    ok,
                    seconds,
                    MonitorBench.lagQuantile(quiet, busy, 0.5),
                    MonitorBench.lagQuantile(quiet, busy, 0.99));
        } finally {
            server.destroy();
            server.waitFor();
            target.destroy();
        }
    }

    static String start(String runbook) throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/runbooks/" + runbook + "/runs"))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        String id = body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        if (!id.startsWith("run-")) throw new IllegalStateException("start refused: " + body);
        return id;
    }

    static JsonNode awaitEnd(String id) throws Exception {
        var json = new ObjectMapper();
        while (true) {
            var run = json.readTree(HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + id))
                                    .header("Authorization", "Bearer " + key)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            if (!run.path("status").asText().matches("queued|running|waiting_approval")) return run;
            Thread.sleep(100);
        }
    }
}
