package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "schedule",
        mixinStandardHelpOptions = true,
        description = {
            "Schedules of the config's schedules: section: their next fire times and runs.",
            "run needs the operator role."
        },
        subcommands = {ScheduleCommand.ListSchedules.class, ScheduleCommand.RunSchedule.class})
final class ScheduleCommand {
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Without NAME: every schedule, its next fire time and last result. With NAME: its runs, newest first.")
    static final class ListSchedules implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "A schedule name.")
        String name;

        @Option(names = "--limit", defaultValue = "20", description = "How many runs (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.run(() -> {
                if (name == null) {
                    JsonNode body = remote.client().get("/api/v1/schedules");
                    if (json) {
                        Cli.printJson(body);
                        return;
                    }
                    List<String[]> rows = new ArrayList<>();
                    rows.add(new String[] {"NAME", "CRON", "ZONE", "TARGET", "NEXT", "LAST", "LAST FIRE TIME"});
                    for (JsonNode s : body.path("schedules")) {
                        JsonNode last = s.path("last");
                        rows.add(new String[] {
                            s.path("name").asText(),
                            s.path("cron").asText(),
                            s.path("time_zone").asText(),
                            s.path("target").asText(),
                            s.path("next").path(0).asText("-"),
                            last.isObject() ? last.path("status").asText() : "never",
                            last.isObject() ? last.path("fire_time").asText() : "-"
                        });
                    }
                    Cli.printTable(rows);
                    return;
                }
                JsonNode body = remote.client().get("/api/v1/schedules/" + Cli.pathSegment(name) + "?limit=" + limit);
                if (json) {
                    Cli.printJson(body);
                    return;
                }
                System.out.println(
                        body.path("name").asText() + ": " + body.path("cron").asText() + " ("
                                + body.path("time_zone").asText() + ") runs "
                                + body.path("target").asText());
                List<String> next = new ArrayList<>();
                body.path("next").forEach(n -> next.add(n.asText()));
                System.out.println("next: " + (next.isEmpty() ? "none" : String.join(", ", next)));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"FIRE TIME", "CAUSE", "STATUS", "DURATION", "REF", "MESSAGE"});
                for (JsonNode r : body.path("runs")) rows.add(row(r));
                Cli.printTable(rows);
            });
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run a schedule's target now and wait for the result. Exit 0 only when it ended ok.")
    static final class RunSchedule implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME", description = "A schedule name.")
        String name;

        @Option(names = "--no-wait", description = "Start it and return at once.")
        boolean noWait;

        @Option(names = "--json", description = "Print the run as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            int[] exit = {Main.OK};
            int code = Cli.run(() -> {
                ApiClient client = remote.client();
                String base = "/api/v1/schedules/" + Cli.pathSegment(name);
                JsonNode run = client.send("POST", base + "/run", null);
                String fire = run.path("fire_time").asText();
                while (!noWait && isActive(run)) {
                    Thread.sleep(1_000);
                    JsonNode found = null;
                    for (JsonNode r : client.get(base + "?limit=100").path("runs")) {
                        if (r.path("fire_time").asText().equals(fire)) found = r;
                    }
                    if (found == null) break;
                    run = found;
                }
                if (json) Cli.printJson(run);
                else
                    System.out.println(name + " " + run.path("status").asText() + ": "
                            + run.path("message").asText(""));
                if (!noWait && !run.path("status").asText().equals("ok")) exit[0] = Main.FAILED;
            });
            return code != Main.OK ? code : exit[0];
        }

        private static boolean isActive(JsonNode run) {
            String s = run.path("status").asText();
            return s.equals("running") || s.equals("queued");
        }
    }

    private static String[] row(JsonNode r) {
        return new String[] {
            r.path("fire_time").asText(),
            r.path("cause").asText(),
            r.path("status").asText(),
            r.path("duration_ms").isNumber() ? r.path("duration_ms").asLong() + "ms" : "-",
            r.path("ref").asText("-"),
            r.path("message").asText("")
        };
    }
}
