package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = {
            "PostgreSQL backups of the targets in the config's backups: section.",
            "A backup counts as successful only once verified: every copy re-read and its SHA-256 matched, the archive",
            "tested. create, verify, restore and prune need the operator role."
        },
        subcommands = {
            BackupCommand.Create.class,
            BackupCommand.ListBackups.class,
            BackupCommand.Verify.class,
            BackupCommand.RestoreBackup.class,
            BackupCommand.Prune.class
        })
final class BackupCommand {
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Back up a target now and wait for the verdict (progress on stderr). Exit 0 only when verified.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "TARGET", description = "A backup target name.")
        String target;

        @Option(names = "--no-wait", description = "Start it and print its id without waiting.")
        boolean noWait;

        @Option(names = "--json", description = "Print the backup as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(() -> {
                ApiClient client = remote.client();
                String base = "/api/v1/backups/" + Cli.pathSegment(target);
                JsonNode b = client.send("POST", base, null);
                long id = b.path("id").asLong();
                if (!noWait) {
                    b = Polling.whileBusy(
                            b,
                            Polling.status("running"),
                            (now, polls) -> progress("backup " + id + " of " + target + ": "
                                    + Units.formatBytes(
                                            now.path("progress_bytes").asLong()) + " written"),
                            now -> client.get(base + "/" + id));
                    progressDone();
                }
                if (json) Cli.printJson(b);
                else System.out.println(describe(b));
                return !noWait && !b.path("status").asText().equals("verified") ? Main.FAILED : Main.OK;
            });
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Without TARGET: every target and its last backups. With TARGET: its history, newest first.")
    static final class ListBackups implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "TARGET", arity = "0..1", description = "A backup target name.")
        String target;

        @Option(names = "--limit", defaultValue = "20", description = "How many backups (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (target == null) return remote.show("/api/v1/backups", json, ListBackups::printTargets);
            return remote.show(
                    "/api/v1/backups/" + Cli.pathSegment(target) + "?limit=" + limit, json, ListBackups::printHistory);
        }

        private static void printTargets(JsonNode body) {
            Cli.printTable(
                    new String[] {"TARGET", "DATABASE", "LAST", "LAST VERIFIED", "AGE", "SIZE", "DESTINATIONS"},
                    body.path("targets"),
                    t -> {
                        JsonNode v = t.path("last_verified");
                        List<String> dests = new ArrayList<>();
                        t.path("destinations")
                                .forEach(d -> dests.add(d.path("name").asText()));
                        return new String[] {
                            t.path("name").asText(),
                            t.path("database").asText(),
                            t.path("last").path("status").asText("-"),
                            v.path("file").asText("never"),
                            v.isMissingNode() ? "-" : age(v.path("age_seconds").asLong()),
                            v.isMissingNode()
                                    ? "-"
                                    : Units.formatBytes(v.path("size_bytes").asLong()),
                            String.join(",", dests)
                        };
                    });
        }

        private static void printHistory(JsonNode body) {
            Cli.printTable(
                    new String[] {"ID", "STATUS", "FILE", "AGE", "SIZE", "DURATION", "COPIES"},
                    body.path("backups"),
                    b -> {
                        List<String> copies = new ArrayList<>();
                        b.path("copies")
                                .forEach(c -> copies.add(c.path("destination").asText() + ":"
                                        + c.path("status").asText()));
                        return new String[] {
                            b.path("id").asText(),
                            b.path("status").asText(),
                            b.path("file").asText(),
                            age(b.path("age_seconds").asLong()),
                            b.has("size_bytes")
                                    ? Units.formatBytes(b.path("size_bytes").asLong())
                                    : "-",
                            b.has("duration_ms")
                                    ? Units.format(Duration.ofMillis(
                                            b.path("duration_ms").asLong()))
                                    : "-",
                            String.join(" ", copies)
                        };
                    });
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Re-read every copy of a backup, compare its SHA-256 and test the archive. Exit 0 when verified.")
    static final class Verify extends BackupJob {
        @Override
        public Integer call() throws Exception {
            return Cli.judge(() -> {
                JsonNode job = runJob("verify", null, "verifying backup " + id);
                String status = job.path("result").path("status").asText("failed");
                String error = job.path("error")
                        .asText(job.path("result").path("error").asText(""));
                System.out.println(
                        "Backup " + id + " of " + target + ": " + status + (error.isEmpty() ? "" : " (" + error + ")"));
                return status.equals("verified") ? Main.OK : Main.FAILED;
            });
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = {
                "Restore a verified backup into the database at --to (created when missing).",
                "A database that exists is refused unless --confirm: then it is dropped and recreated.",
                "The file is read from the first verified copy that reads back intact: local destinations first,",
                "then the others, each in the target's order; --from reads only the copy in that destination."
            })
    static final class RestoreBackup extends BackupJob {
        @Option(names = "--to", paramLabel = "URL", description = "postgresql://user@host:5432/database")
        String to;

        @Option(
                names = "--to-env",
                paramLabel = "NAME",
                description =
                        "Read the URL from this environment variable instead (keeps a password off the command line).")
        String toEnv;

        @Option(names = "--confirm", description = "Replace the database if it exists.")
        boolean confirm;

        @Option(
                names = "--from",
                paramLabel = "DESTINATION",
                description = "Read only the copy in this destination (default: the first usable verified copy).")
        String from;

        @Override
        public Integer call() throws Exception {
            String url = toEnv != null ? System.getenv(toEnv) : to;
            if (url == null || url.isBlank() || (to != null && toEnv != null)) {
                System.err.println("error: give the database as --to URL or --to-env NAME (one of them)"
                        + (toEnv != null && to == null ? "; " + toEnv + " is not set" : ""));
                return Main.INVALID;
            }
            return Cli.judge(() -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("url", url);
                body.put("confirm", confirm);
                if (from != null) body.put("from", from);
                JsonNode job = runJob("restore", body, "restoring backup " + id);
                if (job.path("status").asText().equals("succeeded")) {
                    JsonNode r = job.path("result");
                    System.out.println("Restored backup " + id + " of " + target + " into "
                            + r.path("into").asText()
                            + (r.path("replaced").asBoolean() ? " (replaced)" : "") + " in "
                            + Units.format(
                                    Duration.ofMillis(r.path("duration_ms").asLong())) + ", read from "
                            + r.path("from").asText() + ".");
                    // a copy passed over is worth a look (opsdeck backup verify) before the next disaster
                    for (JsonNode skipped : r.path("skipped"))
                        System.err.println("skipped the copy in " + skipped.asText());
                    return Main.OK;
                }
                System.err.println(
                        "opsdeck: restore failed: " + job.path("error").asText());
                return Main.FAILED;
            });
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Apply each destination's retention now; --dry-run lists what would go and deletes nothing.")
    static final class Prune implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "TARGET")
        String target;

        @Option(names = "--dry-run", description = "Only list what would be deleted.")
        boolean dryRun;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.run(() -> {
                String path = "/api/v1/backups/" + Cli.pathSegment(target) + "/retention";
                JsonNode body =
                        dryRun ? remote.client().get(path) : remote.client().send("POST", path, null);
                if (json) {
                    Cli.printJson(body);
                    return;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "FILE", "DESTINATION", "LOCATION", "STARTED"});
                for (JsonNode e : body.path("expired")) {
                    rows.add(new String[] {
                        e.path("backup_id").asText(),
                        e.path("file").asText(),
                        e.path("destination").asText(),
                        e.path("location").asText(),
                        e.path("started_at").asText()
                    });
                }
                if (rows.size() > 1) Cli.printTable(rows);
                System.out.println((dryRun ? "Would delete " : "Deleted ") + (rows.size() - 1) + " cop"
                        + (rows.size() == 2 ? "y" : "ies") + (dryRun ? " (dry run: nothing was deleted)." : "."));
            });
        }
    }

    /** What verify and restore share: the backup they work on, and a job on the server to wait for. */
    abstract static class BackupJob implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(index = "0", paramLabel = "TARGET")
        String target;

        @Parameters(index = "1", paramLabel = "ID", description = "The backup's id (opsdeck backup list TARGET).")
        long id;

        /** Starts the job and polls it until it ends, showing the bytes processed on stderr. */
        JsonNode runJob(String action, Object body, String what) throws Exception {
            ApiClient client = remote.client();
            JsonNode job =
                    client.send("POST", "/api/v1/backups/" + Cli.pathSegment(target) + "/" + id + "/" + action, body);
            JsonNode done = Polling.whileBusy(
                    job,
                    Polling.status("running"),
                    (now, polls) -> progress(
                            what + ": " + Units.formatBytes(now.path("bytes").asLong()) + " read"),
                    now -> client.get("/api/v1/backup-jobs/"
                            + Cli.pathSegment(now.path("id").asText())));
            progressDone();
            return done;
        }
    }

    private static String describe(JsonNode b) {
        String s = "Backup " + b.path("id").asText() + " of " + b.path("target").asText() + " "
                + b.path("status").asText() + ": " + b.path("file").asText();
        if (b.has("size_bytes"))
            s += ", " + Units.formatBytes(b.path("size_bytes").asLong());
        if (b.has("duration_ms"))
            s += ", " + Units.format(Duration.ofMillis(b.path("duration_ms").asLong()));
        if (b.has("sha256")) s += ", sha256 " + b.path("sha256").asText();
        if (b.has("error")) s += "\n  " + b.path("error").asText();
        return s;
    }

    private static String age(long seconds) {
        return Units.format(Duration.ofSeconds(seconds)) + " ago";
    }

    /** One progress line on stderr, rewritten in place on a terminal, one line per update otherwise. */
    private static void progress(String line) {
        if (System.console() != null) System.err.print("\r" + line + "   ");
        else System.err.println(line);
    }

    private static void progressDone() {
        if (System.console() != null) System.err.println();
    }
}
