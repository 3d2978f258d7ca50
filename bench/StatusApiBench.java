// Status API and dashboard benchmark. Run from the repository root with a JDK >= 22:
//   ./bench/status-api-bench.sh [--checks=10000] [--interval=10s] [--seconds=30] [--connections=20] [--rate=2000]
//                               [--no-wrk] [--curl-rounds=10]
// It starts the JSON health target of the monitoring benchmark in its own process, writes a configuration of N
// services with one http check each (and the rate limits raised so the load generator is not answered 429), makes
// a read-only API key with `opsdeck apikey bootstrap`, starts `./opsdeck serve` through the launcher (its defaults;
// OPSDECK_JAVA_OPTS is passed on), waits one check interval plus 10 s so every check has results, then:
//   - wrk at a paced rate (each connection waits connections/rate seconds between its requests) on
//     GET /api/v1/services/NAME, and once more unpaced, printing requests/s and the latency percentiles;
//   - curl timings (median and max of --curl-rounds) of GET /api/v1/services (first page), the dashboard's first
//     page, a dashboard search and a later dashboard page.
// Uses MonitorBench.java's helpers from the same directory (JDK >= 22 source launcher).
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public class StatusApiBench {
    public static void main(String[] args) throws Exception {
        int checks = 10_000;
        String interval = "10s";
        int seconds = 30;
        int connections = 20;
        int rate = 2_000;
        int curlRounds = 10;
        boolean wrk = true;
        for (String a : args) {
            if (a.startsWith("--checks=")) checks = Integer.parseInt(a.substring(9));
            else if (a.startsWith("--interval=")) interval = a.substring(11);
            else if (a.startsWith("--seconds=")) seconds = Integer.parseInt(a.substring(10));
            else if (a.startsWith("--connections=")) connections = Integer.parseInt(a.substring(14));
            else if (a.startsWith("--rate=")) rate = Integer.parseInt(a.substring(7));
            else if (a.startsWith("--curl-rounds=")) curlRounds = Integer.parseInt(a.substring(14));
            else if (a.equals("--no-wrk")) wrk = false;
            else throw new IllegalArgumentException("unknown argument " + a);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path work = Files.createTempDirectory("opsdeck-status-bench");
        int targetPort = MonitorBench.freePort();
        Process target = new ProcessBuilder(java, "bench/Target.java", String.valueOf(targetPort))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("target.log").toFile())
                .start();
        Process server = null;
        try {
            MonitorBench.waitFor("http://127.0.0.1:" + targetPort + "/health", Duration.ofSeconds(30));
            int port = MonitorBench.freePort();
            Path config = work.resolve("opsdeck.yaml");
            StringBuilder y = new StringBuilder("server: { port: " + port + ", data_dir: \"" + work.resolve("data")
                    + "\" }\n" + "network: { rate_limit: { per_source: 100000000/1s, per_key: 100000000/1s } }\n"
                    + "services:\n");
            for (int s = 0; s < checks; s++) {
                y.append("  svc")
                        .append(s)
                        .append(":\n    description: \"Service number ")
                        .append(s)
                        .append("\"\n    checks:\n      health: { type: http, url: \"http://127.0.0.1:")
                        .append(targetPort)
                        .append("/health?s=")
                        .append(s)
                        .append("\", interval: ")
                        .append(interval)
                        .append(", timeout: 5s, conditions: [\"[STATUS] == 200\", \"[BODY].status == healthy\"] }\n");
            }
            Files.writeString(config, y);
            Path keyFile = work.resolve("key");
            Process boot = new ProcessBuilder(
                            "./opsdeck",
                            "apikey",
                            "bootstrap",
                            "bench",
                            "--config",
                            config.toString(),
                            "--role",
                            "viewer",
                            "--output",
                            keyFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("bootstrap.log").toFile())
                    .start();
            if (boot.waitFor() != 0) throw new IllegalStateException("apikey bootstrap failed: " + work);
            String key = Files.readString(keyFile).strip();
            String base = "http://127.0.0.1:" + port;
            System.out.println("machine: " + MonitorBench.CORES + " cores; java " + System.getProperty("java.version")
                    + "; OPSDECK_JAVA_OPTS=" + System.getenv().getOrDefault("OPSDECK_JAVA_OPTS", ""));
            long start = System.nanoTime();
            server = new ProcessBuilder("./opsdeck", "serve", "--config", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("server.log").toFile())
                    .start();
            MonitorBench.waitFor(base + "/ready", Duration.ofSeconds(900)); // a busy two-core machine took over 5 min
            System.out.printf(
                    Locale.ROOT,
                    "%,d checks @%s: start to ready %d ms%n",
                    checks,
                    interval,
                    (System.nanoTime() - start) / 1_000_000);
            // every check has run at least once (first runs are spread over one interval) and the JIT has seen the
            // probe path; then one untimed round of every request below, so its own first call is not measured
            Thread.sleep(parseSeconds(interval) * 1000L + 10_000);
            String one = base + "/api/v1/services/svc" + checks / 2;
            List<String[]> curls = List.of(
                    new String[] {"GET /api/v1/services (first page of 100)", base + "/api/v1/services"},
                    new String[] {"GET /api/v1/services/NAME", one},
                    new String[] {"dashboard first page  GET /", base + "/"},
                    new String[] {"dashboard search      GET /?q=svc" + (checks - 1), base + "/?q=svc" + (checks - 1)},
                    new String[] {"dashboard search, no match GET /?q=nothing", base + "/?q=nothing"},
                    new String[] {"dashboard page 20     GET /?page=20", base + "/?page=20"});
            for (String[] c : curls) curl(c[1], key);
            System.out.println("load before: " + load());
            for (String[] c : curls) {
                List<Double> ms = new ArrayList<>();
                long bytes = 0;
                int failed = 0;
                for (int i = 0; i < curlRounds; i++) {
                    double[] r = curl(c[1], key);
                    ms.add(r[0]);
                    bytes = (long) r[1];
                    if (r[2] != 200) failed++;
                }
                ms.sort(null);
                System.out.printf(
                        Locale.ROOT,
                        "curl %-45s median %.1f ms, max %.1f ms (%d rounds, %,d bytes, %d not 200)%n",
                        c[0],
                        ms.get(ms.size() / 2),
                        ms.getLast(),
                        curlRounds,
                        bytes,
                        failed);
            }
            if (wrk) {
                Path pace = work.resolve("pace.lua");
                // wrk has no rate option: each connection waits connections/rate between its requests
                Files.writeString(pace, "function delay() return " + Math.max(1, 1000 * connections / rate) + " end\n");
                long cpu0 = MonitorBench.cpuTicks(server.pid());
                long t0 = System.nanoTime();
                wrk(
                        "paced, " + connections + " connections, at most " + rate + "/s",
                        one,
                        key,
                        connections,
                        seconds,
                        pace);
                double cpuPct = 100.0
                        * (MonitorBench.cpuTicks(server.pid()) - cpu0)
                        / MonitorBench.CLOCK_TICKS
                        / ((System.nanoTime() - t0) / 1e9)
                        / MonitorBench.CORES;
                System.out.printf(
                        Locale.ROOT,
                        "server CPU during the paced run: %.0f%% of %d cores; load %s%n",
                        cpuPct,
                        MonitorBench.CORES,
                        load());
                wrk("unpaced, 16 connections", one, key, 16, seconds, null);
                System.out.println("load after: " + load());
            }
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor();
            }
            target.destroy();
        }
    }

    static long parseSeconds(String d) {
        long n = Long.parseLong(d.replaceAll("\\D", ""));
        return d.endsWith("m") ? n * 60 : n;
    }

    /** {milliseconds, bytes, HTTP status} of one request, as curl measures it. */
    static double[] curl(String url, String key) throws Exception {
        Process p = new ProcessBuilder(
                        "curl",
                        "-s",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code} %{time_total} %{size_download}",
                        "-H",
                        "Authorization: Bearer " + key,
                        url)
                .redirectErrorStream(true)
                .start();
        String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                .trim()
                .split(" ");
        p.waitFor();
        // a failed answer is counted and timed, not fatal: on a busy machine a slow store read may answer 500
        return new double[] {Double.parseDouble(out[1]) * 1000, Double.parseDouble(out[2]), Integer.parseInt(out[0])};
    }

    static void wrk(String label, String url, String key, int connections, int seconds, Path script)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + seconds + "s",
                // on a busy machine answers slower than wrk's default 2 s must count, not vanish
                "--timeout",
                "10s",
                "--latency",
                "-H",
                "Authorization: Bearer " + key));
        if (script != null) cmd.addAll(List.of("-s", script.toString()));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        StringBuilder line = new StringBuilder("wrk " + label + ":");
        for (String l : out.split("\n")) {
            String t = l.trim();
            if (t.startsWith("50%")
                    || t.startsWith("90%")
                    || t.startsWith("99%")
                    || t.startsWith("Requests/sec")
                    || t.startsWith("Non-2xx")
                    || t.startsWith("Socket errors")
                    || t.contains("requests in")) {
                line.append("  ").append(t.replaceAll("\\s+", " "));
            }
        }
        System.out.println(line);
        if (!out.contains("Requests/sec")) System.out.println(out); // wrk failed: say why
    }

    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
