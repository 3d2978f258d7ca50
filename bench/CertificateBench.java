// Certificate-inventory benchmark, run by bench/certificate-bench.sh (which makes the certificates).
// Starts Opsdeck (bench/BenchServer.java, for an API key) with N http checks at 10 s against bench/Target.java
// and a `certificates:` dir source holding the certificates; reports the refresh time (POST
// /api/v1/certificates/refresh answers when the refresh is done) and the probing schedule lag (the server's own
// histogram) over a window without refreshes and a window of back-to-back refreshes, with the CPU the other
// processes of the machine used in each window (a busy neighbour moves the lag, not the inventory).
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class CertificateBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        Path work = null;
        int checks = 1000;
        int seconds = 60;
        for (String a : args) {
            if (a.startsWith("--work=")) work = Path.of(a.substring(7));
            else if (a.startsWith("--checks=")) checks = Integer.parseInt(a.substring(9));
            else if (a.startsWith("--seconds=")) seconds = Integer.parseInt(a.substring(10));
        }
        if (work == null) throw new IllegalArgumentException("--work=DIR (made by bench/certificate-bench.sh)");
        int targetPort = BenchServer.startTarget(work);
        BenchServer server = null;
        try {
            int port = MonitorBench.freePort();
            StringBuilder y = new StringBuilder("server: { port: " + port + ", data_dir: \"" + work.resolve("data")
                    + "\" }\ncertificates:\n  sources:\n    bench: { dir: \"" + work.resolve("certs") + "\" }\n");
            y.append("services:\n");
            for (int s = 0; s < checks; s++) {
                y.append("  svc")
                        .append(s)
                        .append(":\n    checks:\n      health: { type: http, url: \"http://127.0.0.1:")
                        .append(targetPort)
                        .append("/health?s=")
                        .append(s)
                        .append("\", interval: 10s, timeout: 5s, conditions: [\"[STATUS] == 200\"] }\n");
            }
            Path config = Files.writeString(work.resolve("opsdeck.yaml"), y);
            server = BenchServer.start(work, config, port);
            String key = server.key;
            System.out.printf(
                    Locale.ROOT,
                    "machine: %d cores; java %s; %d http checks @10s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    checks);
            Thread.sleep(20_000); // warm-up: first probes are spread over one interval; the start refresh ends

            Window quiet = new Window(port, server.pid());
            Thread.sleep(seconds * 1000L);
            quiet.end("without refreshes");

            Window busy = new Window(port, server.pid());
            List<Long> times = new ArrayList<>();
            int rows = 0;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/certificates/refresh"))
                                .header("Authorization", "Bearer " + key)
                                .timeout(Duration.ofMinutes(5))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                times.add((System.nanoTime() - t0) / 1_000_000);
                if (r.statusCode() != 200)
                    throw new IllegalStateException("refresh: " + r.statusCode() + " " + r.body());
                rows = r.body().split("\"not_after\"", -1).length - 1;
            }
            busy.end("during back-to-back refreshes");
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "refresh of %d certificates: %d refreshes, first %d ms, median %d ms, max %d ms%n",
                    rows,
                    times.size(),
                    times.getFirst(),
                    sorted.get(sorted.size() / 2),
                    sorted.getLast());
        } finally {
            if (server != null) server.stop();
        }
    }

    /** The schedule lag histogram and the machine's other CPU over a window. */
    static final class Window {
        final int port;
        final long pid;
        final Map<String, Double> before;
        final long cpu;
        final long busy;
        final long t0 = System.nanoTime();

        Window(int port, long pid) throws Exception {
            this.port = port;
            this.pid = pid;
            before = MonitorBench.scrape(port);
            cpu = MonitorBench.cpuTicks(pid);
            busy = MonitorBench.machineBusyTicks();
        }

        void end(String what) throws Exception {
            Map<String, Double> after = MonitorBench.scrape(port);
            double s = (System.nanoTime() - t0) / 1e9;
            long server = MonitorBench.cpuTicks(pid) - cpu;
            long all = MonitorBench.machineBusyTicks() - busy;
            int cores = Runtime.getRuntime().availableProcessors();
            double probes = MonitorBench.sum(after, "opsdeck_check_latency_seconds_count")
                    - MonitorBench.sum(before, "opsdeck_check_latency_seconds_count");
            System.out.printf(
                    Locale.ROOT,
                    "%s (%.0f s): probes/s %.0f, lag p50 %s p99 %s, server CPU %.0f%%, other processes %.0f%% of the cores%n",
                    what,
                    s,
                    probes / s,
                    MonitorBench.lagQuantile(before, after, 0.5),
                    MonitorBench.lagQuantile(before, after, 0.99),
                    100.0 * server / MonitorBench.CLOCK_TICKS / s / cores,
                    Math.max(0, 100.0 * (all - server) / MonitorBench.CLOCK_TICKS / s / cores));
        }
    }
}
