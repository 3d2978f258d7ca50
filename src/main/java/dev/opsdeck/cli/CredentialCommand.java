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
        name = "credential",
        mixinStandardHelpOptions = true,
        description = {
            "The credentials of the config's credentials: section: owner, age, when each is due, what needs action.",
            "Values and fingerprints are never shown. --refresh and rotate need the operator role."
        },
        subcommands = {
            CredentialCommand.ListCredentials.class,
            CredentialCommand.Show.class,
            CredentialCommand.Rotate.class
        })
final class CredentialCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every credential, what needs action first.")
    static final class ListCredentials implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--refresh", description = "Read every source now first (operator).")
        boolean refresh;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (refresh)
                return remote.change("POST", "/api/v1/credentials/refresh", null, json, ListCredentials::print);
            return remote.show("/api/v1/credentials", json, ListCredentials::print);
        }

        static void print(JsonNode body) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "STATE", "OWNER", "AGE", "DUE", "RUNBOOK", "NOTE"});
            for (JsonNode c : body.path("credentials")) {
                rows.add(new String[] {
                    c.path("name").asText(),
                    c.path("state").asText(),
                    c.path("owner").asText(),
                    c.path("age_days").isNumber() ? c.path("age_days").asLong() + "d" : "-",
                    c.path("due_at").asText("-"),
                    c.path("rotation_runbook").asText("-"),
                    note(c)
                });
            }
            Cli.printTable(rows);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One credential.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME", description = "A credential name.")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/credentials/" + Cli.pathSegment(name), json, c -> {
                for (String key : List.of(
                        "name",
                        "state",
                        "owner",
                        "purpose",
                        "source",
                        "rotate_every_days",
                        "rotated_at",
                        "age_days",
                        "due_at",
                        "overlap",
                        "previous_valid_until",
                        "rotation_runbook",
                        "checked_at")) {
                    System.out.println(key + ": "
                            + (c.path(key).isNull() ? "-" : c.path(key).asText()));
                }
                if (!note(c).isEmpty()) System.out.println("note: " + note(c));
            });
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = {
                "Start the credential's rotation runbook (its rotation_runbook:), as opsdeck run would.",
                "Opsdeck sees the rotation itself when the secret it reads changes."
            })
    static final class Rotate implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME", description = "A credential name.")
        String name;

        @Option(
                names = {"-p", "--param"},
                paramLabel = "NAME=VALUE",
                description = "A parameter of the runbook; repeatable.")
        List<String> params;

        @Option(
                names = {"-f", "--follow"},
                description = "Print each step as the run goes; wait for the end, then refresh the credential.")
        boolean follow;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, String> values = RunCommand.parse(params);
            if (values == null) return Main.INVALID;
            return Cli.judge(() -> {
                ApiClient client = remote.client();
                JsonNode credential = client.get("/api/v1/credentials/" + Cli.pathSegment(name));
                String runbook = credential.path("rotation_runbook").asText("");
                if (runbook.isEmpty()) {
                    System.err.println("opsdeck: credential " + name
                            + " has no rotation_runbook: rotate it by hand, or name a runbook in its config");
                    return Main.INVALID;
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("params", values);
                JsonNode run = client.send("POST", "/api/v1/runbooks/" + Cli.pathSegment(runbook) + "/runs", body);
                String id = run.path("id").asText();
                if (!follow) {
                    if (json) Cli.printJson(run);
                    else
                        System.out.println("Started " + id + " (runbook " + runbook + ") to rotate " + name
                                + "; follow it with: opsdeck run status " + id + " --follow");
                    return Main.OK;
                }
                int code = RunFollower.follow(client, id, json);
                JsonNode after = client.send("POST", "/api/v1/credentials/refresh", null);
                for (JsonNode c : after.path("credentials")) {
                    if (c.path("name").asText().equals(name) && !json) {
                        System.out.println(name + ": " + c.path("state").asText() + ", rotated at "
                                + c.path("rotated_at").asText("-"));
                    }
                }
                return code;
            });
        }
    }

    private static String note(JsonNode c) {
        if (!c.path("previous_valid_until").isNull() && c.has("previous_valid_until")) {
            return "previous value valid until "
                    + c.path("previous_valid_until").asText();
        }
        return c.path("message").isNull() ? "" : c.path("message").asText("");
    }
}
