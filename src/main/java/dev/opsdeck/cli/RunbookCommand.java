package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "runbook",
        mixinStandardHelpOptions = true,
        description = {
            "The runbook catalogue: each runbook with when it last succeeded (\"last tested\").",
            "Start runs with: opsdeck run RUNBOOK."
        },
        subcommands = {RunbookCommand.ListRunbooks.class, RunbookCommand.Show.class, RunbookImportCommand.class})
final class RunbookCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every runbook, its steps and last success.")
    static final class ListRunbooks implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/runbooks", json, body -> {
                Cli.printTable(
                        new String[] {"ID", "TITLE", "STEPS", "RTO", "LAST SUCCESS", "FLAG"},
                        body.path("runbooks"),
                        r -> new String[] {
                            r.path("id").asText(),
                            r.path("title").asText(),
                            r.path("steps").asText(),
                            RunCommand.millis(r.path("target_ms")),
                            r.path("last_success_at").asText("never"),
                            r.path("untested").asBoolean() ? "UNTESTED" : ""
                        });
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A runbook's parameters, steps and recent runs.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "RUNBOOK")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/runbooks/" + Cli.pathSegment(id), json, r -> {
                System.out.println(
                        r.path("id").asText() + ": " + r.path("title").asText());
                System.out.println("Last success: " + r.path("last_success_at").asText("never")
                        + (r.path("untested").asBoolean() ? " (UNTESTED)" : "") + "   RTO: "
                        + RunCommand.millis(r.path("target_ms")));
                if (!r.path("description").asText().isBlank())
                    System.out.println("\n" + r.path("description").asText().strip());
                System.out.println("\nParameters:");
                for (JsonNode p : r.path("params")) {
                    System.out.println("  " + p.path("name").asText() + " ("
                            + p.path("type").asText()
                            + (p.path("required").asBoolean() ? ", required" : "")
                            + (p.path("secret").asBoolean() ? ", secret" : "")
                            + (p.path("default").isNull()
                                    ? ""
                                    : ", default " + p.path("default").asText()) + ")"
                            + (p.path("description").asText().isEmpty()
                                    ? ""
                                    : ": " + p.path("description").asText()));
                }
                System.out.println("\nSteps:");
                int i = 1;
                for (JsonNode s : r.path("steps")) {
                    System.out.println("  " + i++ + ". " + s.path("id").asText() + " ["
                            + s.path("type").asText() + "] " + s.path("title").asText()
                            + (s.path("target_ms").isNull()
                                    ? ""
                                    : " (target " + RunCommand.millis(s.path("target_ms")) + ")"));
                }
                if (!r.path("rollback").isEmpty()) {
                    System.out.println("\nRollback:");
                    for (JsonNode s : r.path("rollback"))
                        System.out.println("  - " + s.path("id").asText() + " ["
                                + s.path("type").asText() + "]");
                }
            });
        }
    }
}
