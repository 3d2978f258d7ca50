// Paging benchmark, alert to webhook. Run from the repository root: ./bench/paging-bench.sh latency|storm [options]
//
// latency [--services=100] [--rounds=5]: N services, each one tcp check (interval 1s, failure_threshold 1) on a
//   port this harness listens on; each round closes the port, waits for the N "incident.triggered" webhooks at a
//   local receiver, reopens it and waits for the N resolutions. Per page: overhead = arrival at the receiver minus
//   the moment the check's first failing result was complete (its `at` + `latency_ms` from the check history API;
//   `at` is when the probe started). Reports p50/p99/max over all pages.
// storm [--dependents=9999] [--dependent-threshold=2] [--seconds=40]: a root service (tcp check, 1s, threshold 1)
//   and D dependents (`depends_on: [root]`, tcp check on the same port, 10s, the given threshold). Closes the port,
//   counts the triggered webhooks over the window, and reports the first page's arrival minus the root's first
//   failing result.
// The server runs in its own JVM (bench/PagingServer.java, with the launcher's JVM options and start-up cache),
// the receiver here.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class PagingBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CORES = Runtime.getRuntime().availableProcessors();
    static final Pattern TEMPLATE = Pattern.compile("\"template\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern SERVICE = Pattern.compile("\"service\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern CREATED = Pattern.compile("\"created_at\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern STARTED = Pattern.compile("\"started_at\"\\s*:\\s*\"([^\"]+)\"");

    /** {@code openedMs}: the incident's started_at; {@code enqueuedMs}: the outbox row's created_at (from the body). */
    record Page(long arrivalMs, String template, String service, Long openedMs, Long enqueuedMs) {}

    static final List<Page> pages = new CopyOnWriteArrayList<>();
    static volatile ServerSocket target;
    static String base;
    static String key;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "latency";
        int services = intArg(args, "--services=", 100), rounds = intArg(args, "--rounds=", 5);
        int dependents = intArg(args, "--dependents=", 9_999), depThreshold = intArg(args, "--dependent-threshold=", 2);
        int seconds = intArg(args, "--seconds=", 40), inFlight = intArg(args, "--max-in-flight=", 4);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", ex -> {
            long now = System.currentTimeMillis();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher t = TEMPLATE.matcher(body),
                    s = SERVICE.matcher(body),
                    c = CREATED.matcher(body),
                    o = STARTED.matcher(body);
            pages.add(new Page(
                    now,
                    t.find() ? t.group(1) : "?",
                    s.find() ? s.group(1) : "?",
                    o.find() ? Instant.parse(o.group(1)).toEpochMilli() : null,
                    c.find() ? Instant.parse(c.group(1)).toEpochMilli() : null));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        // the receiver is the stopwatch: its own first requests run cold in this JVM (HTTP parsing, the handler's
        // regexes), which the first round would count as the server's time
        URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        for (int i = 0; i < 200; i++) {
            HTTP.send(
                    HttpRequest.newBuilder(hook)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"template\":\"warm-up\","
                                    + "\"fields\":{\"service\":\"none\",\"started_at\":\"2026-01-01T00:00:00Z\"},\"created_at\":"
                                    + "\"2026-01-01T00:00:00Z\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        pages.clear();
        int targetPort = freePort();
        open(targetPort);
        Path work = Files.createTempDirectory("opsdeck-paging-bench");
        int port = freePort();
        StringBuilder y = new StringBuilder("server: { port: " + port + ", data_dir: \"" + work.resolve("data")
                + "\" }\n"
                + "channels:\n  hook: { type: webhook, url: \"http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/hook\", max_in_flight: " + inFlight + " }\n"
                + "incidents: { notify: [hook] }\n"
                // latency rounds take a check down and up every ~20 s: with the default (5 changes in 10 min) the
                // third round would page "flapping" instead of "down" and later rounds would not page at all
                + "monitoring: { flapping: { changes: 1000 } }\nservices:\n");
        String tcp = "{ type: tcp, host: 127.0.0.1, port: " + targetPort + ", timeout: 2s, ";
        if (mode.equals("latency")) {
            for (int i = 0; i < services; i++) {
                y.append("  svc")
                        .append(i)
                        .append(":\n    checks:\n      port: ")
                        .append(tcp)
                        .append("interval: 1s, failure_threshold: 1 }\n");
            }
        } else {
            y.append("  root:\n    checks:\n      port: ").append(tcp).append("interval: 1s, failure_threshold: 1 }\n");
            for (int i = 0; i < dependents; i++) {
                y.append("  dep")
                        .append(i)
                        .append(":\n    depends_on: [root]\n    checks:\n      port: ")
                        .append(tcp)
                        .append("interval: 10s, failure_threshold: ")
                        .append(depThreshold)
                        .append(" }\n");
            }
        }
        Path config = Files.writeString(work.resolve("opsdeck.yaml"), y);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path keyFile = work.resolve("key");
        Process server = new ProcessBuilder(serverCommand(java, config, keyFile))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile())
                .start();
        base = "http://127.0.0.1:" + port;
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Files.exists(keyFile)) {
                if (!server.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("server did not start; see " + work.resolve("server.log"));
                }
                Thread.sleep(50);
            }
            key = Files.readString(keyFile).trim();
            System.out.println(
                    "machine: " + CORES + " cores; java " + System.getProperty("java.version") + "; work " + work);
            if (mode.equals("latency")) latency(server.pid(), services, rounds, targetPort);
            else storm(server.pid(), dependents, depThreshold, seconds, targetPort);
        } finally {
            server.destroy();
            server.waitFor();
            receiver.stop(0);
            if (target != null) target.close();
        }
    }

    /**
     * The server JVM as the launcher (./opsdeck) starts it: its options, and its start-up cache when the JDK
     * made one. PagingServer is compiled by paging-bench.sh (a source-file program would add modules at start,
     * which the cache refuses).
     */
    static List<String> serverCommand(String java, Path config, Path keyFile) throws IOException, InterruptedException {
        Path jar = Path.of("target", "opsdeck.jar").toAbsolutePath(),
                cache = Path.of("target", "opsdeck.aot").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launcherOptions());
        if (Files.exists(cache)) command.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"));
        command.addAll(List.of(
                "-cp",
                jar + File.pathSeparator + System.getProperty("paging.server.classes"),
                "PagingServer",
                config.toString(),
                keyFile.toString()));
        return command;
    }

    /** The launcher's JVM options, from the script it takes them from. */
    static List<String> launcherOptions() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "bash",
                        "-c",
                        ". bin/jvm-options.sh && opsdeck_jvm_options \"$1\" \"\"",
                        "_",
                        String.valueOf(Runtime.version().feature()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("bin/jvm-options.sh failed: " + out);
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    static void latency(long pid, int services, int rounds, int targetPort) throws Exception {
        Thread.sleep(5_000); // every check has a verdict (up) after its first 1 s interval
        List<Long> overheads = new ArrayList<>();
        // the path in three stages, from the timestamps the page carries: failing result → incident opened
        // (alert engine, waiting for the incident writer), opened → outbox row created (the incident's
        // transaction and its hand-over), created → request received (delivery slot, HTTP)
        List<Long> toIncident = new ArrayList<>(), toOutbox = new ArrayList<>(), toReceiver = new ArrayList<>();
        Load load = Load.start(pid);
        for (int r = 0; r < rounds; r++) {
            int before = pages.size();
            long closeMs = System.currentTimeMillis();
            target.close();
            List<Page> triggered = await(before, "incident.triggered", services, 30_000);
            Thread.sleep(1_000); // the result writer batches for up to 200 ms: let the failing result reach history
            for (Page p : triggered) {
                Long failedMs = firstFailureEnd(p.service(), closeMs);
                if (failedMs != null) overheads.add(p.arrivalMs() - failedMs);
                if (failedMs != null && p.openedMs() != null && p.enqueuedMs() != null) {
                    toIncident.add(p.openedMs() - failedMs);
                    toOutbox.add(p.enqueuedMs() - p.openedMs());
                    toReceiver.add(p.arrivalMs() - p.enqueuedMs());
                } else System.out.println("no failing result in the history of " + p.service() + " (not counted)");
            }
            System.out.printf(
                    Locale.ROOT,
                    "round %d: %d pages, close to last page %d ms%s%n",
                    r + 1,
                    triggered.size(),
                    triggered.isEmpty()
                            ? -1
                            : triggered.get(triggered.size() - 1).arrivalMs() - closeMs,
                    services == 1 && !toReceiver.isEmpty()
                            ? String.format(
                                    Locale.ROOT,
                                    " (stages %d + %d + %d ms)",
                                    toIncident.getLast(),
                                    toOutbox.getLast(),
                                    toReceiver.getLast())
                            : "");
            int mid = pages.size();
            open(targetPort);
            await(mid, "incident.resolved", services, 30_000);
            Thread.sleep(3_000);
        }
        Load.Figures f = load.stop();
        List<Long> inOrder = List.copyOf(overheads);
        Collections.sort(overheads);
        if (services == 1) System.out.println("per round, ms: " + inOrder);
        System.out.printf(
                Locale.ROOT,
                "latency: %d services, %d rounds, %d pages measured: overhead p50 %d ms, p99 %d ms,"
                        + " max %d ms; server CPU %.1f%% of %d cores, other processes %.0f%%%n",
                services,
                rounds,
                overheads.size(),
                q(overheads, 0.5),
                q(overheads, 0.99),
                overheads.get(overheads.size() - 1),
                f.serverCpu,
                CORES,
                f.otherCpu);
        for (List<Long> stage : List.of(toIncident, toOutbox, toReceiver)) Collections.sort(stage);
        if (!toIncident.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "stages p50/p99 ms: result → incident opened %d/%d; opened → outbox row %d/%d;"
                            + " outbox row → receiver %d/%d%n",
                    q(toIncident, 0.5),
                    q(toIncident, 0.99),
                    q(toOutbox, 0.5),
                    q(toOutbox, 0.99),
                    q(toReceiver, 0.5),
                    q(toReceiver, 0.99));
        }
    }

    static void storm(long pid, int dependents, int threshold, int seconds, int targetPort) throws Exception {
        System.out.println("warming up 25 s (first runs are spread over the 10 s interval)");
        Thread.sleep(25_000);
        int before = pages.size();
        Load load = Load.start(pid);
        long closeMs = System.currentTimeMillis();
        target.close();
        Thread.sleep(seconds * 1000L);
        Load.Figures f = load.stop();
        List<Page> all = List.copyOf(pages);
        List<Page> triggered = all.subList(before, all.size()).stream()
                .filter(p -> p.template().equals("incident.triggered"))
                .toList();
        Long rootDown = firstFailureEnd("root", closeMs);
        double firing = 0;
        for (String line : get("/metrics").split("\n")) {
            if (line.startsWith("opsdeck_alerts_firing"))
                firing += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        System.out.printf(
                Locale.ROOT,
                "storm: root + %d dependents (threshold %d), %d s window: %d triggered pages %s;"
                        + " alerts firing at the end %.0f; first page %s ms after the root's first failing result"
                        + " (%s ms after the port closed); server CPU %.1f%% of %d cores, other processes %.0f%%%n",
                dependents,
                threshold,
                seconds,
                triggered.size(),
                triggered.stream().map(Page::service).distinct().limit(5).toList(),
                firing,
                triggered.isEmpty() || rootDown == null ? "-" : triggered.get(0).arrivalMs() - rootDown,
                triggered.isEmpty() ? "-" : triggered.get(0).arrivalMs() - closeMs,
                f.serverCpu,
                CORES,
                f.otherCpu);
    }

    /** End of the first failing probe of {@code service}/port that ended at or after {@code sinceMs}. */
    static Long firstFailureEnd(String service, long sinceMs) throws Exception {
        JsonNode h = JSON.readTree(get("/api/v1/checks/" + service + "/port/history?window=1h"));
        for (JsonNode r : h.path("results")) {
            long end = Instant.parse(r.path("at").asText()).toEpochMilli()
                    + r.path("latency_ms").asLong();
            if (r.path("status").asText().equals("down") && end >= sinceMs) return end;
        }
        return null;
    }

    static List<Page> await(int from, String template, int count, long maxMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxMs;
        while (true) {
            List<Page> all = List.copyOf(pages); // a sublist of the live list fails when a page arrives meanwhile
            List<Page> got = all.subList(from, all.size()).stream()
                    .filter(p -> p.template().equals(template))
                    .toList();
            if (got.size() >= count || System.currentTimeMillis() > deadline) return got;
            Thread.sleep(10);
        }
    }

    static long q(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    static void open(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        target = s;
        Thread.ofPlatform().daemon().start(() -> {
            while (!s.isClosed()) {
                try {
                    s.accept().close();
                } catch (IOException e) {
                    // closed: the outage
                }
            }
        });
    }

    static String get(String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + key)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static int intArg(String[] args, String prefix, int dflt) {
        for (String a : args) if (a.startsWith(prefix)) return Integer.parseInt(a.substring(prefix.length()));
        return dflt;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** CPU of the server and of every other process (machine busy minus server minus this harness), from /proc. */
    record Load(long pid, long server0, long self0, long busy0, long t0) {
        record Figures(double serverCpu, double otherCpu) {}

        static Load start(long pid) throws IOException {
            return new Load(pid, ticks(pid), ticks(ProcessHandle.current().pid()), busy(), System.nanoTime());
        }

        Figures stop() throws IOException {
            double s = (System.nanoTime() - t0) / 1e9;
            long server = ticks(pid) - server0,
                    self = ticks(ProcessHandle.current().pid()) - self0,
                    all = busy() - busy0;
            return new Figures(
                    100.0 * server / 100 / s / CORES, Math.max(0, 100.0 * (all - server - self) / 100 / s / CORES));
        }

        static long ticks(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        static long busy() throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long b = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) b += Long.parseLong(f[i]);
            return b;
        }
    }
}
