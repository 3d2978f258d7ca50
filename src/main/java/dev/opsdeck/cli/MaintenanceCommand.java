package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "maintenance",
        mixinStandardHelpOptions = true,
        description = {
            "List, add and end maintenance windows: alerts of the services they cover are recorded but",
            "do not page. Adding and ending need the operator role."
        },
        subcommands = {
            MaintenanceCommand.ListWindows.class,
            MaintenanceCommand.Add.class,
            MaintenanceCommand.Edit.class,
            MaintenanceCommand.End.class
        })
final class MaintenanceCommand {
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {"Add a one-off window (--duration or --ends-at) or a weekly one (--day, --at, --duration)."})
    static final class Add implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(
                names = "--service",
                required = true,
                paramLabel = "SERVICE",
                description = "A service it covers; repeatable.")
        List<String> services;

        @Option(names = "--duration", description = "One-off: how long (at most 30d). Weekly: each time (at most 7d).")
        String duration;

        @Option(names = "--starts-at", description = "When it begins (default now), e.g. 2025-06-04T22:00:00Z.")
        String startsAt;

        @Option(names = "--ends-at", description = "One-off: instead of --duration. Weekly: when it stops repeating.")
        String endsAt;

        @Option(names = "--day", paramLabel = "DAY", description = "Weekly: sunday, sun, ... or daily; repeatable.")
        List<String> days;

        @Option(names = "--at", description = "Weekly: local time of day, e.g. 02:00.")
        String at;

        @Option(names = "--time-zone", description = "Weekly: the zone of --at (default UTC), e.g. Europe/Berlin.")
        String zone;

        @Option(names = "--comment", required = true, description = "Why (required).")
        String comment;

        @Option(names = "--json", description = "Print the window as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("services", services);
            if (startsAt != null) body.put("starts_at", startsAt);
            if (endsAt != null) body.put("ends_at", endsAt);
            if (duration != null) body.put("duration", duration);
            if (days != null) body.put("days", days);
            if (at != null) body.put("at", at);
            if (zone != null) body.put("time_zone", zone);
            body.put("comment", comment);
            return remote.change(
                    "POST",
                    "/api/v1/maintenance",
                    body,
                    json,
                    w -> System.out.println("Maintenance window " + w.path("id").asText() + " "
                            + w.path("state").asText() + " for " + services(w) + ": " + when(w) + "."));
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Active and scheduled windows, configured ones first.")
    static final class ListWindows implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--all", description = "Ended ones too.")
        boolean all;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.listCurrent(
                    "/api/v1/maintenance",
                    "maintenance",
                    "ended",
                    all,
                    json,
                    new String[] {"ID", "STATE", "SERVICES", "WHEN", "CREATOR", "COMMENT"},
                    w -> new String[] {
                        w.path("id").isNull()
                                ? w.path("name").asText() + " (config)"
                                : w.path("id").asText(),
                        w.path("state").asText(),
                        services(w),
                        when(w),
                        w.path("creator").asText(),
                        w.path("comment").asText().replace('\n', ' ')
                    });
        }
    }

    @Command(
            name = "edit",
            mixinStandardHelpOptions = true,
            description = "Change a window's services, end or comment (windows from the configuration: edit the file).")
    static final class Edit implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--service", paramLabel = "SERVICE", description = "Replaces its services; repeatable.")
        List<String> services;

        @Option(names = "--ends-at", description = "A new end, e.g. 2025-06-04T18:00:00Z.")
        String endsAt;

        @Option(names = "--comment", description = "A new comment.")
        String comment;

        @Option(names = "--json", description = "Print the window as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (services != null) body.put("services", services);
            if (endsAt != null) body.put("ends_at", endsAt);
            if (comment != null) body.put("comment", comment);
            return remote.change(
                    "PATCH",
                    "/api/v1/maintenance/" + id,
                    body,
                    json,
                    w -> System.out.println("Maintenance window " + id + " "
                            + w.path("state").asText() + " for " + services(w) + ": " + when(w) + "."));
        }
    }

    @Command(name = "end", mixinStandardHelpOptions = true, description = "End a window now (its record is kept).")
    static final class End implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--json", description = "Print the window as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.change(
                    "DELETE",
                    "/api/v1/maintenance/" + id,
                    null,
                    json,
                    w -> System.out.println("Ended maintenance window " + id + " for " + services(w) + "."));
        }
    }

    private static String services(JsonNode w) {
        return Cli.join(w.path("services"), ", ");
    }

    private static String when(JsonNode w) {
        if (w.has("days")) {
            return "weekly " + Cli.join(w.path("days"), ",") + " "
                    + w.path("at").asText() + " for " + w.path("duration").asText() + " "
                    + w.path("time_zone").asText();
        }
        return w.path("starts_at").asText() + " to " + w.path("ends_at").asText();
    }
}
