package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
        name = "silence",
        mixinStandardHelpOptions = true,
        description = {
            "Add, list and expire silences: matching alerts are recorded but do not page.",
            "Adding and expiring need the operator role."
        },
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
final class SilenceCommand {
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Silence alerts that match every --match.")
    static final class Add implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(
                names = "--match",
                required = true,
                paramLabel = "MATCHER",
                description = "service=indexer, severity!=P1, name=~Disk.*, team=search (labels too); repeatable.")
        List<String> matchers;

        @Option(names = "--duration", description = "How long, e.g. 30m, 2h, 1d (at most 30d).")
        String duration;

        @Option(names = "--ends-at", description = "Or an end time, e.g. 2025-06-04T18:00:00Z.")
        String endsAt;

        @Option(names = "--starts-at", description = "A start time (default now).")
        String startsAt;

        @Option(names = "--comment", required = true, description = "Why (required), e.g. the deploy.")
        String comment;

        @Option(names = "--json", description = "Print the silence as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<Map<String, String>> parsed = new ArrayList<>();
            for (String m : matchers) {
                Map<String, String> one = matcher(m);
                if (one == null) {
                    System.err.println("error: --match " + m + ": expected NAME=VALUE, NAME!=VALUE or NAME=~REGEX");
                    return Main.INVALID;
                }
                parsed.add(one);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("matchers", parsed);
            if (startsAt != null) body.put("starts_at", startsAt);
            if (endsAt != null) body.put("ends_at", endsAt);
            if (duration != null) body.put("duration", duration);
            body.put("comment", comment);
            return remote.change(
                    "POST",
                    "/api/v1/silences",
                    body,
                    json,
                    s -> System.out.println("Silence " + s.path("id").asText() + " "
                            + s.path("state").asText() + " until "
                            + s.path("ends_at").asText() + ": " + matchers(s) + "."));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Active and pending silences, newest first.")
    static final class ListSilences implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--all", description = "Expired ones too.")
        boolean all;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.listCurrent(
                    "/api/v1/silences",
                    "silences",
                    "expired",
                    all,
                    json,
                    new String[] {"ID", "STATE", "MATCHERS", "STARTS", "ENDS", "CREATOR", "COMMENT"},
                    s -> new String[] {
                        s.path("id").asText(),
                        s.path("state").asText(),
                        matchers(s),
                        s.path("starts_at").asText(),
                        s.path("ends_at").asText(),
                        s.path("creator").asText(),
                        s.path("comment").asText().replace('\n', ' ')
                    });
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now (its record is kept).")
    static final class Expire implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--json", description = "Print the silence as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.change(
                    "DELETE",
                    "/api/v1/silences/" + id,
                    null,
                    json,
                    s -> System.out.println("Expired silence " + id + ": " + matchers(s) + "."));
        }
    }

    /** {@code severity!=P1} as the API's {name, op, value}; null when there is no operator. */
    static Map<String, String> matcher(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) return null;
        String name = text.substring(0, eq), op = "=", value = text.substring(eq + 1);
        if (name.endsWith("!")) {
            name = name.substring(0, name.length() - 1);
            op = "!=";
        } else if (value.startsWith("~")) {
            op = "=~";
            value = value.substring(1);
        }
        return Map.of("name", name, "op", op, "value", value);
    }

    private static String matchers(JsonNode s) {
        List<String> out = new ArrayList<>();
        s.path("matchers")
                .forEach(m -> out.add(m.path("name").asText()
                        + m.path("op").asText()
                        + m.path("value").asText()));
        return String.join(", ", out);
    }
}
