// Monitoring-engine benchmark. Run from the repository root with a JDK >= 21:
//   ./bench/monitor-bench.sh [N ...] [--seconds=60] [--targets=distinct|shared]   (builds the jar, then runs this)
// --targets=distinct (the default) gives each check its own loopback address 127.x.y.z on a target listening on all
// addresses, so no connection is reused between checks; --targets=shared probes 127.0.0.1 for every check.
// It starts a local HTTP target in a separate process, generates a config of N http checks at a
// 10 s interval (--interval=60s for another), starts `opsdeck serve`, and reports cold start to /ready,
// probes/s, schedule lag p50/p99 (from the server's own histogram), CPU % of the machine's cores and RSS of
// the server (at the end and at its peak), then the live heap after a full GC (objects still referenced, i.e.
// what the checks and their in-flight probes hold) from `jcmd GC.class_histogram`.
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

public class MonitorBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final long CLOCK_TICKS = 100; // USER_HZ on Linux
    static final int CORES = Runtime.getRuntime().availableProcessors();
    static final int IDLE_STARTS = 5;
    /** The checks' interval, as written in the config: --interval=60s. */
    static String interval = "10s";
    /** Idle starts measured before the runs (--idle-starts=N): their live heap is subtracted per check. */
    static int idleStarts = IDLE_STARTS;

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        int measureSeconds = 60;
        for (String a : args) {
            if (a.startsWith("--seconds=")) measureSeconds = Integer.parseInt(a.substring(10));
            else if (options(a)) continue;
            else if (a.startsWith("--targets=")) sharedTarget = targetsMode(a.substring(10));
            else sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) sizes = List.of(1_000, 10_000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path work = Files.createTempDirectory("opsdeck-bench");
        int targetPort = freePort();
        Process target = new ProcessBuilder(java, "bench/Target.java", String.valueOf(targetPort), targetBind())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("target.log").toFile())
                .start();
        waitFor("http://127.0.0.1:" + targetPort + "/health", Duration.ofSeconds(30));
        try {
            System.out.println("machine: " + CORES + " cores; java " + System.getProperty("java.version")
                    + "; targets: "
                    + (sharedTarget ? "shared (every check on 127.0.0.1)" : "distinct (each check its own 127.x.y.z)"));
            // the target's and this harness's JVMs are still compiling their own code for a moment after the
            // target answers; on two cores that would be measured as the server's start
            Thread.sleep(3_000);
            // start-up varies run to run by a few hundred ms (JIT threads and GC share the cores with it): the
            // median of several starts, each on a fresh data directory
            List<Result> idles = new ArrayList<>();
            for (int i = 0; i < idleStarts; i++) idles.add(run(java, work.resolve("idle-" + i), 0, targetPort, 15));
            double idleHeapMb = idleHeap(idles);
            for (int n : sizes) {
                Result r = run(java, work, n, targetPort, measureSeconds);
                System.out.printf(
                        Locale.ROOT,
                        "%d checks @%s: start to ready %d ms, probes/s %.0f, lag p50 %s p99 %s, CPU %.1f%% of %d cores"
                                + " (%.2f ms CPU per probe), RSS %.0f MB (peak %.0f MB), live heap %.0f MB in %,d objects"
                                + " (other processes: %.0f%% of the cores)%n",
                        n,
                        interval,
                        r.readyMs,
                        r.probesPerSecond,
                        r.lagP50,
                        r.lagP99,
                        r.cpuPercent,
                        CORES,
                        r.cpuPercent / 100 * CORES * 1000 / r.probesPerSecond,
                        r.rssMb,
                        r.peakRssMb,
                        r.liveHeapMb,
                        r.liveObjects,
                        r.otherCpuPercent);
                perCheck(r, n, idleHeapMb);
            }
        } finally {
            target.destroy();
        }
    }

    /**
     * Whether every check probes the one target address 127.0.0.1 (the old mode: connections kept alive and shared
     * between checks) instead of an address of its own in 127/8 (the default: no connection can be reused between
     * checks, as with real targets on many hosts, and as the peer is measured).
     */
    static boolean sharedTarget = false;

    static boolean targetsMode(String mode) {
        return switch (mode) {
            case "shared" -> true;
            case "distinct" -> false;
            default -> throw new IllegalArgumentException("--targets: expected distinct or shared; got " + mode);
        };
    }

    /** Where the target listens: every address (so all of 127/8 reaches it), or only 127.0.0.1 when shared. */
    static String targetBind() {
        return sharedTarget ? "127.0.0.1" : "0.0.0.0";
    }

    /** Check s's target address: 127.x.y.z, x, y and z from 1 to 254, distinct for up to 16 million checks. */
    static String targetHost(int s) {
        if (sharedTarget) return "127.0.0.1";
        return "127." + (1 + s / (254 * 254)) + "." + (1 + s / 254 % 254) + "." + (1 + s % 254);
    }

    /**
     * otherCpuPercent: CPU used by every other process during the window (share of all cores), from
     * /proc/stat. The harness shares the machine; a busy neighbour skews lag and CPU, so it is reported.
     */
    record Result(
            long readyMs,
            double probesPerSecond,
            String lagP50,
            String lagP99,
            double cpuPercent,
            double rssMb,
            double otherCpuPercent,
            double peakRssMb,
            double liveHeapMb,
            long liveObjects) {}

    static Result run(String java, Path work, int checks, int targetPort, int measureSeconds) throws Exception {
        Path dir = Files.createDirectories(work.resolve("run-" + checks));
        Path config = dir.resolve("opsdeck.yaml");
        int port = freePort();
        StringBuilder y =
                new StringBuilder("server: { port: " + port + ", data_dir: \"" + dir.resolve("data") + "\" }\n");
        y.append("services:\n");
        for (int s = 0; s < checks; s++) {
            y.append("  svc")
                    .append(s)
                    .append(":\n    checks:\n      health: { type: http, url: \"http://")
                    .append(targetHost(s))
                    .append(":")
                    .append(targetPort)
                    .append("/health?s=")
                    .append(s)
                    .append("\", interval: " + interval
                            + ", timeout: 5s, conditions: [\"[STATUS] == 200\", \"[BODY].status == healthy\"] }\n");
        }
        Files.writeString(config, y);
        long start = System.nanoTime();
        // through the launcher (it execs java, so the pid is the server's) to measure what users run
        Process server = new ProcessBuilder("./opsdeck", "serve", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        try {
            // generous: on a machine shared with other builds, start-up alone took over a minute
            waitFor("http://127.0.0.1:" + port + "/ready", Duration.ofSeconds(180));
            long readyMs = (System.nanoTime() - start) / 1_000_000;
            if (checks == 0) {
                Thread.sleep(measureSeconds * 1000L);
                long[] live = liveHeap(java, server.pid());
                return new Result(
                        readyMs,
                        0,
                        "-",
                        "-",
                        0,
                        rssMb(server.pid(), "VmRSS:"),
                        0,
                        rssMb(server.pid(), "VmHWM:"),
                        live[1] / 1024.0 / 1024.0,
                        live[0]);
            }
            Thread.sleep(warmUpMillis()); // warm-up: first runs are spread over one interval
            Map<String, Double> before = scrape(port);
            long cpuBefore = cpuTicks(server.pid());
            long busyBefore = machineBusyTicks();
            long t0 = System.nanoTime();
            Thread.sleep(measureSeconds * 1000L);
            Map<String, Double> after = scrape(port);
            long cpuAfter = cpuTicks(server.pid());
            long busyAfter = machineBusyTicks();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double probes = sum(after, "opsdeck_check_latency_seconds_count")
                    - sum(before, "opsdeck_check_latency_seconds_count");
            double cpu = 100.0 * (cpuAfter - cpuBefore) / CLOCK_TICKS / seconds / CORES;
            double others = 100.0 * ((busyAfter - busyBefore) - (cpuAfter - cpuBefore)) / CLOCK_TICKS / seconds / CORES;
            double rss = rssMb(server.pid(), "VmRSS:");
            double peak = rssMb(server.pid(), "VmHWM:");
            long[] live = liveHeap(java, server.pid());
            return new Result(
                    readyMs,
                    probes / seconds,
                    lagQuantile(before, after, 0.5),
                    lagQuantile(before, after, 0.99),
                    cpu,
                    rss,
                    Math.max(0, others),
                    peak,
                    live[1] / 1024.0 / 1024.0,
                    live[0]);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** One interval (the first runs are spread over it), at least the 20 s the bench always waited. */
    static long warmUpMillis() {
        String v = interval.trim();
        long unit = v.endsWith("ms") ? 1 : v.endsWith("m") ? 60_000 : 1_000;
        long n = Long.parseLong(v.replaceAll("\\D", ""));
        return Math.max(20_000, n * unit);
    }

    /** Reads --interval=... and --idle-starts=...; false for any other argument. */
    static boolean options(String a) {
        if (a.startsWith("--interval=")) interval = a.substring(11);
        else if (a.startsWith("--idle-starts=")) idleStarts = Integer.parseInt(a.substring(14));
        else return false;
        return true;
    }

    /** Prints the idle starts' median start-up and RSS; returns their median live heap (0 without idle starts). */
    static double idleHeap(List<Result> idles) {
        int n = idles.size();
        if (n == 0) return 0;
        List<Long> ready = idles.stream().map(Result::readyMs).sorted().toList();
        List<Double> rss = idles.stream().map(Result::rssMb).sorted().toList();
        List<Double> heap = idles.stream().map(Result::liveHeapMb).sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "idle (0 checks), %d starts: start to ready median %d ms (%d–%d), RSS median"
                        + " %.0f MB (%.0f–%.0f), live heap median %.1f MB%n",
                n,
                ready.get(n / 2),
                ready.get(0),
                ready.get(n - 1),
                rss.get(n / 2),
                rss.get(0),
                rss.get(n - 1),
                heap.get(n / 2));
        return heap.get(n / 2);
    }

    /** The live heap of a run less that of an idle server, per check: what each idle check costs. */
    static void perCheck(Result r, int checks, double idleHeapMb) {
        if (idleHeapMb <= 0 || checks == 0) return;
        System.out.printf(
                Locale.ROOT,
                "  live heap per check: %.2f KB ((%.1f MB - %.1f MB idle) / %d)%n",
                (r.liveHeapMb - idleHeapMb) * 1024 / checks,
                r.liveHeapMb,
                idleHeapMb,
                checks);
    }

    /** Quantile of the lag histogram's increase over the window, as "≤ bound". */
    static String lagQuantile(Map<String, Double> before, Map<String, Double> after, double q) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith("opsdeck_schedule_lag_seconds_bucket{")) {
                String le = k.replaceAll(".*le=\"([^\"]+)\".*", "$1");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.put(bound, v - before.getOrDefault(k, 0.0));
            }
        });
        double total = buckets.lastEntry().getValue();
        for (var e : buckets.entrySet()) {
            if (e.getValue() >= q * total) {
                return e.getKey().isInfinite() ? "> 5 s" : "≤ " + Math.round(e.getKey() * 1000) + " ms";
            }
        }
        return "?";
    }

    static double sum(Map<String, Double> m, String name) {
        return m.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    static Map<String, Double> scrape(int port) throws Exception {
        // bounded: an overloaded server must fail the run, not hang the harness
        String text = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            int space = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException ignored) {
                // NaN and similar are not needed here
            }
        }
        return out;
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    /** Busy ticks of the whole machine (user + nice + system + irq + softirq + steal) from /proc/stat. */
    static long machineBusyTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
        return busy;
    }

    /** VmRSS: now; VmHWM: the peak since start. */
    static double rssMb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        return -1;
    }

    /** {objects, bytes} still reachable: the "Total" line of a class histogram, which runs a full GC first. */
    static long[] liveHeap(String java, long pid) throws Exception {
        String jcmd = Path.of(java).resolveSibling("jcmd").toString();
        Process p = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.class_histogram")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("Total")) {
                String[] f = line.trim().split("\\s+");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        return new long[] {-1, -1};
    }

    /**
     * Polls with a bare socket every 10 ms. The JDK's HttpClient did the same job with enough work of its own
     * (its selector thread, exceptions, the harness's JIT compiling it) to add ~0.2 s to a 1.5 s start on two
     * cores: the harness measured itself.
     */
    static void waitFor(String url, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        URI uri = URI.create(url);
        byte[] request = ("GET " + uri.getPath() + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.getOutputStream().write(request);
                String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                if (status.startsWith("HTTP/1.") && status.endsWith(" 200")) return;
            } catch (IOException ignored) {
                // not up yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " not ready within " + limit);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
