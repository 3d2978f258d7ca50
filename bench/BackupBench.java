// Backup benchmark, started by ./bench/backup-bench.sh (which starts the private PostgreSQL and loads the data;
// PGHOST/PGPORT/PGUSER point at it). Side by side, interleaved (the order rotates each round):
//   seed         pg_dump bench | gzip > file            (the seed's pipeline, gzip's default level 6)
//   floor        pg_dump bench > /dev/null              (no pg_dump-based backup can be faster)
//   opsdeck gzip POST /api/v1/backups/gzip              (plain format, gzip level 6, one local destination)
//   opsdeck zstd POST /api/v1/backups/zstd              (plain format, zstd at its default level, 1)
// Each file's compression ratio (plain SQL bytes / file bytes) is printed beside its figures.
// For Opsdeck the server's own record splits each backup into the dump (start → file written, fsync'd, renamed:
// the manifest's duration_ms) and the verification after it (archive test, copy, re-read + SHA-256: verified_at).
// The seed's pipeline gets the equivalent check by hand (gzip -t + sha256sum), timed apart.
// Then restores into fresh databases: Opsdeck's restore of the gzip file vs `gunzip -c file | psql` (and with
// --custom, of a custom-format (-Fc) backup vs `pg_restore`). CPU of every other process is printed per run.
//   args: --work=DIR --pgbin=DIR [--rounds=3] [--restores=3] [--custom] [--scale=N (used by the script)]
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

public class BackupBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static Path work;
    static String pgbin, base, key;
    static String pgPort = System.getenv("PGPORT");
    static long postmaster, serverPid;
    /** The size of the plain SQL dump: what each compressed file's ratio is measured against. */
    static long sqlBytes;

    /** One timed run: wall seconds; for Opsdeck also the dump phase; CPU of our processes and of all others. */
    record Sample(String mode, double wall, double dump, double ourCpuS, double othersPct, long bytes) {}

    static final Map<String, List<Sample>> RESULTS = new LinkedHashMap<>();
    // Polled as gently as the CLI does: each API request checks the key (Argon2, ~16 ms of CPU), and polling every
    // 50 ms took a third of a core from the backup it measured. Durations come from the server's own record instead.
    static final long POLL_MS = 1_000;

    public static void main(String[] args) throws Exception {
        int rounds = 3, restores = 3;
        boolean custom = false;
        for (String a : args) {
            if (a.startsWith("--work=")) work = Path.of(a.substring(7));
            if (a.startsWith("--pgbin=")) pgbin = a.substring(8);
            if (a.startsWith("--rounds=")) rounds = Integer.parseInt(a.substring(9));
            if (a.startsWith("--restores=")) restores = Integer.parseInt(a.substring(11));
            if (a.equals("--custom")) custom = true;
        }
        postmaster = Long.parseLong(
                Files.readAllLines(work.resolve("pg/postmaster.pid")).get(0).trim());
        startServer();
        try {
            System.out.printf(
                    Locale.ROOT,
                    "machine: %d cores, %s RAM; java %s; %s; dump of database bench (%s)%n",
                    MonitorBench.CORES,
                    memTotal(),
                    System.getProperty("java.version"),
                    sh(pgbin + "/pg_dump --version").strip(),
                    sh(pgbin + "/psql -X -At -d bench -c \"SELECT pg_size_pretty(pg_database_size('bench'))\"")
                            .strip());
            sqlBytes = Long.parseLong(sh(pgbin + "/pg_dump bench | wc -c").strip()); // also warms the caches
            System.out.printf(Locale.ROOT, "plain SQL dump: %.0f MB%n", sqlBytes / 1e6);
            List<String> modes = List.of("seed", "floor", "opsdeck gzip", "opsdeck zstd");
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < modes.size(); i++) {
                    String mode = modes.get((i + r) % modes.size());
                    Sample s = switch (mode) {
                        case "seed" ->
                            timed(
                                    mode,
                                    "set -o pipefail; " + pgbin + "/pg_dump bench | gzip > "
                                            + work.resolve("seed.sql.gz"));
                        case "floor" -> timed(mode, pgbin + "/pg_dump bench > /dev/null");
                        default -> opsdeckBackup(mode, mode.substring(8));
                    };
                    if (mode.equals("seed")) {
                        replace(
                                s,
                                new Sample(
                                        mode,
                                        s.wall(),
                                        -1,
                                        s.ourCpuS(),
                                        s.othersPct(),
                                        Files.size(work.resolve("seed.sql.gz"))));
                        Sample v = timed(
                                "seed check",
                                "gzip -t " + work.resolve("seed.sql.gz") + " && sha256sum "
                                        + work.resolve("seed.sql.gz") + " > /dev/null");
                        System.out.printf(
                                Locale.ROOT,
                                "           seed: %.0f MB, ratio %.1f:1; its check by hand (gzip -t + sha256sum): %.1f s%n",
                                Files.size(work.resolve("seed.sql.gz")) / 1e6,
                                ratio(Files.size(work.resolve("seed.sql.gz"))),
                                v.wall());
                    }
                }
            }
            if (custom) opsdeckBackup("opsdeck custom", "custom");
            long gzipId = latest("gzip"), customId = custom ? latest("custom") : 0;
            Path gzipFile = work.resolve("out/gzip").resolve(file("gzip", gzipId));
            Path customFile = custom ? work.resolve("out/custom").resolve(file("custom", customId)) : null;
            for (int i = 1; i <= restores; i++) {
                boolean opsFirst = i % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == opsFirst) opsdeckRestore("restore gzip: opsdeck", "gzip", gzipId, "r_gzip_ops");
                    else
                        restoreByHand(
                                "restore gzip: gunzip | psql",
                                "r_gzip_plain",
                                "gunzip -c " + gzipFile + " | " + pgbin + "/psql -X -q -d r_gzip_plain > /dev/null");
                }
                for (int k = 0; k < 2 && custom; k++) {
                    if ((k == 0) == opsFirst)
                        opsdeckRestore("restore custom: opsdeck", "custom", customId, "r_custom_ops");
                    else
                        restoreByHand(
                                "restore custom: pg_restore",
                                "r_custom_plain",
                                pgbin + "/pg_restore -d r_custom_plain " + customFile);
                }
            }
            summary();
        } finally {
            stopServer();
        }
    }

    static void startServer() throws Exception {
        int port = MonitorBench.freePort();
        String url = "postgresql://postgres@127.0.0.1:" + pgPort + "/bench";
        StringBuilder y =
                new StringBuilder("server: { port: " + port + ", data_dir: \"" + work.resolve("data") + "\" }\n");
        y.append("backups:\n");
        for (String[] t :
                new String[][] {{"gzip", "plain", "gzip"}, {"zstd", "plain", "zstd"}, {"custom", "custom", "gzip"}}) {
            y.append("  ")
                    .append(t[0])
                    .append(":\n    url: ")
                    .append(url)
                    .append("\n    format: ")
                    .append(t[1])
                    .append("\n    compression: ")
                    .append(t[2])
                    .append("\n    pg_bin: ")
                    .append(pgbin)
                    .append("\n    destinations:\n      disk: { type: local, path: \"")
                    .append(work.resolve("out").resolve(t[0]))
                    .append("\", keep_last: 1 }\n");
        }
        Path config = Files.writeString(work.resolve("opsdeck.yaml"), y);
        BenchServer server = BenchServer.start(work, config, port);
        serverPid = server.pid();
        key = server.key;
        base = "http://127.0.0.1:" + port;
    }

    static void stopServer() throws Exception {
        ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroy);
    }

    /** Runs a shell pipeline and times it. */
    static Sample timed(String mode, String command) throws Exception {
        checkpoint();
        Meter m = new Meter();
        int exit = new ProcessBuilder("bash", "-c", command).inheritIO().start().waitFor();
        if (exit != 0) throw new IllegalStateException(mode + " failed (exit " + exit + "): " + command);
        return m.stop(mode, -1, 0);
    }

    static Sample opsdeckBackup(String mode, String target) throws Exception {
        checkpoint();
        Meter m = new Meter();
        JsonNode b = api("POST", "/api/v1/backups/" + target, null);
        long id = b.path("id").asLong();
        while (b.path("status").asText().equals("running")) {
            Thread.sleep(POLL_MS);
            b = api("GET", "/api/v1/backups/" + target + "/" + id, null);
        }
        Sample wall = m.stop(mode, 0, 0);
        if (!b.path("status").asText().equals("verified")) throw new IllegalStateException(mode + ": " + b);
        JsonNode manifest = JSON.readTree(work.resolve("out")
                .resolve(target)
                .resolve(b.path("file").asText() + ".manifest.json")
                .toFile());
        double dump = manifest.path("duration_ms").asLong() / 1000.0;
        double total = (Instant.parse(b.path("verified_at").asText()).toEpochMilli()
                        - Instant.parse(b.path("started_at").asText()).toEpochMilli())
                / 1000.0;
        Sample s = new Sample(
                mode,
                total,
                dump,
                wall.ourCpuS(),
                wall.othersPct(),
                b.path("size_bytes").asLong());
        System.out.printf(
                Locale.ROOT,
                "           %s: %.0f MB, ratio %.1f:1; dump %.1f s + verification %.1f s (+%.1f %%) = started_at → verified_at;"
                        + " polled wall %.1f s%n",
                mode,
                b.path("size_bytes").asLong() / 1e6,
                ratio(b.path("size_bytes").asLong()),
                dump,
                total - dump,
                100 * (total - dump) / dump,
                wall.wall());
        replace(wall, s);
        return s;
    }

    static void opsdeckRestore(String mode, String target, long id, String db) throws Exception {
        checkpoint();
        Meter m = new Meter();
        JsonNode job = api(
                "POST",
                "/api/v1/backups/" + target + "/" + id + "/restore",
                "{\"url\":\"postgresql://postgres@127.0.0.1:" + pgPort + "/" + db + "\"}");
        String jobId = job.path("id").asText();
        while (job.path("status").asText().equals("running")) {
            Thread.sleep(POLL_MS);
            job = api("GET", "/api/v1/backup-jobs/" + jobId, null);
        }
        Sample s = m.stop(mode, -1, 0);
        if (!job.path("status").asText().equals("succeeded")) throw new IllegalStateException(mode + ": " + job);
        double own = job.path("result").path("duration_ms").asLong() / 1000.0;
        System.out.printf(
                Locale.ROOT,
                "           %s: the restore's own duration_ms %.1f s (counted; the line above is polled)%n",
                mode,
                own);
        replace(s, new Sample(mode, own, -1, s.ourCpuS(), s.othersPct(), 0));
        checkRows(db);
        sh(pgbin + "/dropdb " + db);
    }

    static void restoreByHand(String mode, String db, String command) throws Exception {
        checkpoint();
        Meter m = new Meter();
        int exit = new ProcessBuilder("bash", "-c", "set -o pipefail; " + pgbin + "/createdb " + db + " && " + command)
                .inheritIO()
                .start()
                .waitFor();
        if (exit != 0) throw new IllegalStateException(mode + " failed (exit " + exit + ")");
        m.stop(mode, -1, 0);
        checkRows(db);
        sh(pgbin + "/dropdb " + db);
    }

    /** The restored database must hold what the source holds, or the timing means nothing. */
    static void checkRows(String db) throws Exception {
        String q = "\"SELECT (SELECT count(*) FROM pgbench_accounts) || '/' || (SELECT count(*) FROM notes)\"";
        String got = sh(pgbin + "/psql -X -At -d " + db + " -c " + q).strip();
        String want = sh(pgbin + "/psql -X -At -d bench -c " + q).strip();
        if (!got.equals(want))
            throw new IllegalStateException(db + ": pgbench_accounts/notes have " + got + " rows, source " + want);
    }

    /** Starts each run from a clean slate: dirty buffers of the run before are not flushed on this run's time. */
    static void checkpoint() throws Exception {
        sh(pgbin + "/psql -X -q -d postgres -c CHECKPOINT");
        sh("sync");
    }

    /** Plain SQL bytes per compressed byte. */
    static double ratio(long compressed) {
        return sqlBytes / (double) compressed;
    }

    static long latest(String target) throws Exception {
        return api("GET", "/api/v1/backups/" + target + "?limit=1", null)
                .path("backups")
                .path(0)
                .path("id")
                .asLong();
    }

    static String file(String target, long id) throws Exception {
        return api("GET", "/api/v1/backups/" + target + "/" + id, null)
                .path("file")
                .asText();
    }

    static JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30));
        if (body != null || method.equals("POST")) {
            r.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body));
        }
        HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() >= 300)
            throw new IllegalStateException(method + " " + path + " -> " + resp.statusCode() + " " + resp.body());
        return JSON.readTree(resp.body());
    }

    static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(command + ": " + out);
        return out;
    }

    static String memTotal() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:"))
                return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0) + " GiB";
        }
        return "?";
    }

    /** Wall time and CPU over one run: ours (this JVM's children, the Opsdeck server, PostgreSQL) and everyone else's. */
    static final class Meter {
        final long t0 = System.nanoTime(), busy0, ours0;

        Meter() throws IOException {
            busy0 = MonitorBench.machineBusyTicks();
            ours0 = ourTicks();
        }

        Sample stop(String mode, double dump, long bytes) throws IOException {
            double wall = (System.nanoTime() - t0) / 1e9;
            long ours = ourTicks() - ours0, busy = MonitorBench.machineBusyTicks() - busy0;
            double others = Math.max(0, 100.0 * (busy - ours) / MonitorBench.CLOCK_TICKS / wall / MonitorBench.CORES);
            Sample s = new Sample(mode, wall, dump, ours / (double) MonitorBench.CLOCK_TICKS, others, bytes);
            System.out.printf(
                    Locale.ROOT,
                    "%-28s %7.1f s   CPU of this run %6.1f s   other processes %3.0f %% of %d cores%n",
                    mode,
                    wall,
                    s.ourCpuS(),
                    others,
                    MonitorBench.CORES);
            RESULTS.computeIfAbsent(mode, k -> new ArrayList<>()).add(s);
            return s;
        }
    }

    static void replace(Sample old, Sample now) {
        List<Sample> list = RESULTS.get(old.mode());
        list.set(list.indexOf(old), now);
    }

    /** utime + stime + children's, of this JVM, the server and the postmaster, plus their live descendants. */
    static long ourTicks() throws IOException {
        long[] roots = {ProcessHandle.current().pid(), serverPid, postmaster};
        Set<Long> live = new HashSet<>();
        for (long pid : roots) {
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(h -> live.add(h.pid())));
        }
        long sum = 0;
        for (long pid : roots) {
            live.remove(pid); // the server is this JVM's child: count it once, with its children's time
            sum += ticks(pid, true);
        }
        for (long pid : live) sum += ticks(pid, false);
        return sum;
    }

    static long ticks(long pid, boolean withChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended between listing and reading: its time went to its parent's children's time
        }
    }

    static void summary() {
        System.out.println();
        System.out.println(
                "| run | n | min | median | dump phase (median) | verification adds (median) | size | ratio | CPU s (median) | other processes |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (var e : RESULTS.entrySet()) {
            List<Sample> l = e.getValue();
            List<Double> wall = sorted(l.stream().map(Sample::wall).toList());
            List<Double> dump = sorted(l.stream().map(Sample::dump).toList());
            List<Double> cpu = sorted(l.stream().map(Sample::ourCpuS).toList());
            List<Double> others = sorted(l.stream().map(Sample::othersPct).toList());
            boolean phases = l.get(0).dump() > 0 && e.getKey().startsWith("opsdeck");
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.1f s | %.1f s | %s | %s | %s | %s | %.1f | %.0f–%.0f %% |%n",
                    e.getKey().replace("|", "\\|"),
                    l.size(),
                    wall.get(0),
                    median(wall),
                    phases ? String.format(Locale.ROOT, "%.1f s", median(dump)) : "–",
                    phases
                            ? String.format(
                                    Locale.ROOT,
                                    "%+.1f %%",
                                    median(sorted(l.stream()
                                            .map(x -> 100 * (x.wall() - x.dump()) / x.dump())
                                            .toList())))
                            : "–",
                    l.get(0).bytes() > 0
                            ? String.format(Locale.ROOT, "%.0f MB", l.get(0).bytes() / 1e6)
                            : "–",
                    l.get(0).bytes() > 0
                            ? String.format(
                                    Locale.ROOT, "%.1f:1", ratio(l.get(0).bytes()))
                            : "–",
                    median(cpu),
                    others.get(0),
                    others.get(others.size() - 1));
        }
        System.out.printf(
                Locale.ROOT, "plain SQL %.0f MB; ratios side by side, medians of this run:%n", sqlBytes / 1e6);
        compare("opsdeck gzip", "seed", 1.0);
        compare("opsdeck zstd", "floor", 1.25);
        compare("restore gzip: opsdeck", "restore gzip: gunzip | psql", 1.0);
        for (String mode : List.of("opsdeck gzip", "opsdeck zstd")) {
            if (!RESULTS.containsKey(mode)) continue;
            double adds = median(sorted(RESULTS.get(mode).stream()
                    .map(x -> 100 * (x.wall() - x.dump()) / x.dump())
                    .toList()));
            System.out.printf(
                    Locale.ROOT,
                    "%s: verification after the dump adds %+.1f %% (target ≤ 10 %%: %s; the archive test itself runs"
                            + " during the dump)%n",
                    mode,
                    adds,
                    adds <= 10 ? "met" : "not met");
        }
    }

    static void compare(String mode, String against, double target) {
        if (!RESULTS.containsKey(mode) || !RESULTS.containsKey(against)) return;
        double a = median(sorted(RESULTS.get(mode).stream().map(Sample::wall).toList()));
        double b = median(sorted(RESULTS.get(against).stream().map(Sample::wall).toList()));
        double amin =
                sorted(RESULTS.get(mode).stream().map(Sample::wall).toList()).get(0);
        double bmin =
                sorted(RESULTS.get(against).stream().map(Sample::wall).toList()).get(0);
        System.out.printf(
                Locale.ROOT,
                "%s / %s: median %.2f×, min %.2f× (target ≤ %.2f×: %s)%n",
                mode,
                against,
                a / b,
                amin / bmin,
                target,
                a / b <= target ? "met" : "not met");
    }

    static List<Double> sorted(List<Double> l) {
        return l.stream().sorted().toList();
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
