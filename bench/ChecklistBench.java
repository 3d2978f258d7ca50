// Checklist benchmark, run by bench/checklist-bench.sh: one checklist of ITEMS items (the bound: 500 in
// under 2 s), a mix of what readiness checklists prove: 40 % inline `file` checks on real files (mode, owner, a
// value at a YAML path, contains), 40 % configured http checks' latest results (CHECKS checks at 10 s against
// bench/Target.java), 20 % Opsdeck facts (cluster.nodes, metrics.scraped, paging.p1_routed, runbook.succeeded).
// Each round is POST /api/v1/checklists/bench/run, which answers when every item is proven and the run stored; the
// bench reports the run's own duration and the request's, first and by the median, and the machine's load.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ChecklistBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern DURATION = Pattern.compile("\"duration_ms\":(\\d+)");
    static final Pattern SCORE = Pattern.compile("\"score\":(\\d+)");

    public static void main(String[] args) throws Exception {
        Path work = null;
        int items = 500;
        int checks = 200;
        int rounds = 20;
        for (String a : args) {
            if (a.startsWith("--work=")) work = Path.of(a.substring(7));
            else if (a.startsWith("--items=")) items = Integer.parseInt(a.substring(8));
            else if (a.startsWith("--checks=")) checks = Integer.parseInt(a.substring(9));
            else if (a.startsWith("--rounds=")) rounds = Integer.parseInt(a.substring(9));
        }
        if (work == null) throw new IllegalArgumentException("--work=DIR (made by bench/checklist-bench.sh)");
        int targetPort = BenchServer.startTarget(work);
        int port = MonitorBench.freePort();
        Path config = Files.writeString(work.resolve("opsdeck.yaml"), config(work, port, targetPort, items, checks));
        BenchServer server = BenchServer.start(work, config, port);
        try {
            System.out.printf(
                    Locale.ROOT,
                    "machine: %d cores; java %s; %d items (%d file, %d check, %d fact), %d http checks @10s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    items,
                    fileItems(items),
                    checkItems(items),
                    items - fileItems(items) - checkItems(items),
                    checks);
            Thread.sleep(15_000); // every check probed at least once, so check items have a result to read
            List<Long> runMs = new ArrayList<>();
            List<Long> requestMs = new ArrayList<>();
            String score = "";
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                HttpResponse<String> res = HTTP.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/checklists/bench/run"))
                                .header("Authorization", "Bearer " + server.key)
                                .timeout(Duration.ofMinutes(2))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                requestMs.add((System.nanoTime() - t0) / 1_000_000);
                if (res.statusCode() != 200)
                    throw new IllegalStateException("run: " + res.statusCode() + " " + res.body());
                Matcher d = DURATION.matcher(res.body());
                Matcher s = SCORE.matcher(res.body());
                if (!d.find() || !s.find()) throw new IllegalStateException("no duration_ms in " + res.body());
                runMs.add(Long.parseLong(d.group(1)));
                score = s.group(1);
                Thread.sleep(500);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d runs of %d items (score %s): run first %d ms, median %d ms, max %d ms; request median %d ms,"
                            + " max %d ms; load average %s%n",
                    rounds,
                    items,
                    score,
                    runMs.getFirst(),
                    median(runMs),
                    Collections.max(runMs),
                    median(requestMs),
                    Collections.max(requestMs),
                    Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            server.stop();
        }
    }

    static int fileItems(int items) {
        return items * 2 / 5;
    }

    static int checkItems(int items) {
        return items * 2 / 5;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The server's config and the files the file items read, written under work/files. */
    static String config(Path work, int port, int targetPort, int items, int checks) throws Exception {
        Path files = Files.createDirectories(work.resolve("files"));
        StringBuilder y =
                new StringBuilder("server: { port: " + port + ", data_dir: \"" + work.resolve("data") + "\" }\n");
        y.append("channels:\n  ops: { type: webhook, url: \"http://127.0.0.1:")
                .append(targetPort)
                .append("/hook\" }\n");
        y.append("escalation_policies:\n  everything:\n    default: true\n    steps:\n      - { channels: [ops] }\n");
        y.append("runbooks:\n  smoke:\n    steps:\n      - { id: one, type: shell, run: \"true\" }\n");
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
        y.append("checklists:\n  bench:\n    title: Benchmark\n    sections:\n");
        int file = fileItems(items), check = checkItems(items);
        y.append("      - title: Files\n        items:\n");
        for (int i = 0; i < file; i++) {
            Path f = files.resolve("app" + i + ".yml");
            Files.writeString(f, "runtime:\n  profile: production\nsecurity:\n  lockout: true\nitem: " + i + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            String conditions = switch (i % 3) {
                case 0 -> "[\"[EXISTS] == true\", \"[MODE] == 0600\"]";
                case 1 -> "[\"[VALUE] == production\"]";
                default -> "[\"[SIZE] < 4096\"]";
            };
            y.append("          - { id: file-")
                    .append(i)
                    .append(", type: file, path: \"")
                    .append(f)
                    .append('"');
            if (i % 3 == 1) y.append(", yaml_path: runtime.profile");
            y.append(", conditions: ").append(conditions).append(" }\n");
        }
        y.append("      - title: Checks\n        items:\n");
        for (int i = 0; i < check; i++) {
            y.append("          - { id: check-")
                    .append(i)
                    .append(", check: svc")
                    .append(i % checks)
                    .append("/health }\n");
        }
        y.append("      - title: Facts\n        items:\n");
        String[] facts = {
            "fact: cluster.nodes, params: { min: 1 }",
            "fact: metrics.scraped, params: { max_age: 1h }",
            "fact: paging.p1_routed",
            "fact: runbook.succeeded, params: { runbook: smoke, max_age: 90d }"
        };
        for (int i = 0; i < items - file - check; i++) {
            y.append("          - { id: fact-")
                    .append(i)
                    .append(", severity: recommended, ")
                    .append(facts[i % facts.length])
                    .append(" }\n");
        }
        return y.toString();
    }
}
