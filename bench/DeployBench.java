// Deploy-record benchmark. Run from the repository root with a JDK >= 22:
//   ./bench/deploy-bench.sh [--deploys=10000] [--samples=500]
// A server (PagingServer.java, SQLite store) with N deploys of one service already recorded, as a CI tool records
// them (POST /api/v1/deploys, each a finished deploy a minute after the last). Then, one request at a time, timed
// at the client:
// 1. recording a CI deploy: POST /api/v1/deploys with a new external id (the record, its previous version looked up);
// 2. reading the change log: GET /api/v1/deploys?service=api (the newest 50), and with &state=succeeded;
// 3. a retried report: the same POST again (found by external id, nothing written).
// Each reported as p50/p99 over the samples, after 100 warm-up requests of the same kind; the machine's load beside.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;

public class DeployBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String base;
    static String key;

    public static void main(String[] args) throws Exception {
        int deploys = 10_000, samples = 500;
        for (String a : args) {
            if (a.startsWith("--deploys=")) deploys = Integer.parseInt(a.substring(10));
            if (a.startsWith("--samples=")) samples = Integer.parseInt(a.substring(10));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path work = Files.createTempDirectory("opsdeck-deploy-bench");
        int port = MonitorBench.freePort();
        Path config = Files.writeString(work.resolve("opsdeck.yaml"), """
                server: { port: %d, data_dir: "%s" }
                # one client asks as fast as it can: far above the default limits, which would answer 429
                network: { rate_limit: { per_source: 100000/1m, per_key: 100000/1m } }
                runbooks:
                  ship:
                    params: { version: { required: true } }
                    steps: [ { id: go, type: shell, run: "true" } ]
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h }
                    deploy: { runbook: ship }
                """.formatted(port, work.resolve("data"), port));
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
                    + "; load " + load() + "; work " + work);
            long start = System.currentTimeMillis() - (deploys + 10_000L) * 60_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < deploys; i++) record("seed-" + i, "1." + i, start + i * 60_000L);
            System.out.printf(
                    Locale.ROOT,
                    "stored %d deploys of api in %.1f s; load %s%n",
                    deploys,
                    (System.nanoTime() - t0) / 1e9,
                    load());
            long next = start + deploys * 60_000L;
            int[] n = {0};
            report("record a CI deploy (POST /api/v1/deploys)", samples, i -> {
                int k = n[0]++;
                return () -> record("new-" + k, "2." + k, next + k * 60_000L);
            });
            report("a retried report (same external id)", samples, i -> () -> record("new-0", "2.0", next));
            report(
                    "change log (GET /api/v1/deploys?service=api)",
                    samples,
                    i -> () -> get("/api/v1/deploys?service=api"));
            report(
                    "change log, succeeded only (&state=succeeded)",
                    samples,
                    i -> () -> get("/api/v1/deploys?service=api&state=succeeded"));
            report(
                    "versions (GET /api/v1/services/api/versions)",
                    samples,
                    i -> () -> get("/api/v1/services/api/versions"));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    interface Call {
        int send() throws Exception;
    }

    /** 100 warm-up calls, then {@code samples} timed ones; p50/p99 in ms. */
    static void report(String what, int samples, IntFunction<Call> calls) throws Exception {
        for (int i = 0; i < 100; i++) check(calls.apply(i).send(), what);
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            Call c = calls.apply(i);
            long t = System.nanoTime();
            check(c.send(), what);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(
                Locale.ROOT,
                "%-50s p50 %.2f ms  p99 %.2f ms  (n=%d; load %s)%n",
                what,
                ms[samples / 2],
                ms[(int) Math.ceil(samples * 0.99) - 1],
                samples,
                load());
    }

    static void check(int status, String what) {
        if (status >= 300) throw new IllegalStateException(what + ": HTTP " + status);
    }

    static int record(String externalId, String version, long atMs) throws Exception {
        String body = "{\"external_id\": \"" + externalId + "\", \"service\": \"api\", \"version\": \"" + version
                + "\", \"state\": \"succeeded\", \"started_at\": \"" + Instant.ofEpochMilli(atMs)
                + "\", \"finished_at\": \"" + Instant.ofEpochMilli(atMs + 30_000) + "\"}";
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/deploys"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    static int get(String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + key)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    static String load() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
