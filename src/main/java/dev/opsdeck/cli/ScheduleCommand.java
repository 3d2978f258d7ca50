package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
            if (name == null) return remote.show("/api/v1/schedules", json, ListSchedules::printSchedules);
            return remote.show(
                    "/api/v1/schedules/" + Cli.pathSegment(name) + "?limit=" + limit, json, ListSchedules::printRuns);
        }

        private static void printSchedules(JsonNode body) {
            Cli.printTable(
                    new String[] {"NAME", "CRON", "ZONE", "TARGET", "NEXT", "LAST", "LAST FIRE TIME"},
                    body.path("schedules"),
                    s -> {
                        JsonNode last = s.path("last");
                        return new String[] {
                            s.path("name").asText(),
                            s.path("cron").asText(),
                            s.path("time_zone").asText(),
                            s.path("target").asText(),
                            s.path("next").path(0).asText("-"),
                            last.isObject() ? last.path("status").asText() : "never",
                            last.isObject() ? last.path("fire_time").asText() : "-"
                        };
                    });
        }

        private static void printRuns(JsonNode body) {
            System.out.println(
                    body.path("name").asText() + ": " + body.path("cron").asText() + " ("
                            + body.path("time_zone").asText() + ") runs "
                            + body.path("target").asText());
            System.out.println("next: " + (body.path("next").isEmpty() ? "none" : Cli.join(body.path("next"), ", ")));
            Cli.printTable(
                    new String[] {"FIRE TIME", "CAUSE", "STATUS", "DURATION", "REF", "MESSAGE"},
                    body.path("runs"),
                    r -> row(r));
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
            return Cli.judge(() -> {
                ApiClient client = remote.client();
                String base = "/api/v1/schedules/" + Cli.pathSegment(name);
                JsonNode started = client.send("POST", base + "/run", null);
                String fire = started.path("fire_time").asText();
                JsonNode run = noWait
                        ? started
                        : Polling.whileBusy(
                                started,
                                Polling.status("running", "queued"),
                                Polling.QUIET,
                                now -> firedAt(client.get(base + "?limit=100"), fire));
                if (json) Cli.printJson(run);
                else
                    System.out.println(name + " " + run.path("status").asText() + ": "
                            + run.path("message").asText(""));
                return !noWait && !run.path("status").asText().equals("ok") ? Main.FAILED : Main.OK;
            });
        }

        /** The schedule's run for {@code fire}, the last one listed when there are several; null when gone. */
        private static JsonNode firedAt(JsonNode schedule, String fire) {
            JsonNode found = null;
            for (JsonNode r : schedule.path("runs")) {
                if (r.path("fire_time").asText().equals(fire)) found = r;
            }
            return found;
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
