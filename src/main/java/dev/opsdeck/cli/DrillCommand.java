package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Units;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        description = {
            "Restore drills from the config's drills: section: a verified backup restored into a scratch",
            "database, timed (RTO, RPO) and checked. run needs the operator role."
        },
        subcommands = {DrillCommand.Run.class, DrillCommand.ListDrills.class, DrillCommand.Show.class})
final class DrillCommand {
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run a drill now and wait for the verdict. Exit 0 only when it passed.")
    static final class Run implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME", description = "A drill name.")
        String name;

        @Option(names = "--json", description = "Print the run as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(() -> {
                ApiClient client = remote.client();
                JsonNode started = client.send("POST", "/api/v1/drills/" + Cli.pathSegment(name) + "/runs", null);
                long id = started.path("id").asLong();
                JsonNode r = Polling.whileBusy(
                        started,
                        Polling.status("running"),
                        (now, polls) -> {
                            if (polls % 10 == 0)
                                System.err.println("drill " + name + " run " + id + ": running (" + stage(now) + ")");
                        },
                        now -> client.get("/api/v1/drill-runs/" + id));
                if (json) Cli.printJson(r);
                else System.out.println(describe(r));
                return r.path("status").asText().equals("passed") ? Main.OK : Main.FAILED;
            });
        }

        private static String stage(JsonNode r) {
            return r.has("restore_ms") ? "restored, checking" : r.has("scratch") ? "restoring" : "starting";
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every drill with its last run and its last passed run (RTO, RPO).")
    static final class ListDrills implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/drills", json, body -> {
                Cli.printTable(
                        new String[] {"DRILL", "TARGET", "SCRATCH", "LAST", "LAST PASSED", "RTO", "RPO"},
                        body.path("drills"),
                        d -> {
                            JsonNode last = d.path("last"), passed = d.path("last_passed");
                            return new String[] {
                                d.path("name").asText(),
                                d.path("target").asText(),
                                d.path("scratch").asText(),
                                last.isMissingNode()
                                        ? "never"
                                        : last.path("status").asText() + " (run "
                                                + last.path("id").asText() + ")",
                                passed.isMissingNode()
                                        ? "never"
                                        : passed.path("finished_at").asText(),
                                passed.isMissingNode() ? "-" : ms(passed.path("restore_ms")),
                                passed.isMissingNode() ? "-" : ms(passed.path("rpo_ms"))
                            };
                        });
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One drill run with every check's result.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID", description = "The run's id (opsdeck drill list, or printed by drill run).")
        long id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/drill-runs/" + id, json, r -> System.out.println(describe(r)));
        }
    }

    /** A run in a few lines: verdict, backup, RTO and RPO, then one line per check. */
    static String describe(JsonNode r) {
        StringBuilder b = new StringBuilder("Drill " + r.path("drill").asText() + " run "
                + r.path("id").asText() + " "
                + r.path("status").asText() + " (target " + r.path("target").asText() + ", started by "
                + r.path("actor").asText() + ")");
        if (r.has("backup_file"))
            b.append("\n  backup ")
                    .append(r.path("backup_id").asText())
                    .append(": ")
                    .append(r.path("backup_file").asText());
        if (r.has("restore_ms"))
            b.append("\n  restore (RTO) ")
                    .append(ms(r.path("restore_ms")))
                    .append(", backup age (RPO) ")
                    .append(ms(r.path("rpo_ms")));
        if (r.has("scratch")) b.append("\n  scratch ").append(r.path("scratch").asText());
        for (JsonNode c : r.path("checks")) {
            b.append("\n  ")
                    .append(c.path("passed").asBoolean() ? "ok    " : "FAILED")
                    .append(' ')
                    .append(c.path("name").asText())
                    .append(": ")
                    .append(c.path("detail").asText());
        }
        if (r.has("error")) b.append("\n  ").append(r.path("error").asText());
        return b.toString();
    }

    private static String ms(JsonNode n) {
        return Units.format(Duration.ofMillis(n.asLong()));
    }
}
