package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Units;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Start a runbook: opsdeck run RUNBOOK --param NAME=VALUE [--follow | --dry-run].",
            "Then: opsdeck run status|approve|reject|cancel|resume RUN.",
            "Exit codes: 0 started (or succeeded with --follow), 1 failed, 2 refused (bad parameter), 3 unreachable."
        },
        subcommands = {
            RunCommand.Status.class,
            RunCommand.Approve.class,
            RunCommand.Reject.class,
            RunCommand.Cancel.class,
            RunCommand.Resume.class
        })
final class RunCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Parameters(paramLabel = "RUNBOOK", arity = "0..1", description = "The runbook id, e.g. rb-001.")
    String runbook;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "A parameter; repeatable.")
    List<String> params;

    @Option(
            names = "--incident",
            paramLabel = "ID",
            description = "Link the run to this incident (it shows on its timeline).")
    Long incident;

    @Option(names = "--dry-run", description = "Check the parameters and print the plan; nothing runs.")
    boolean dryRun;

    @Option(
            names = {"-f", "--follow"},
            description = "Print each step and its output as the run goes; wait for the end.")
    boolean follow;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runbook == null) {
            System.err.println("error: name a runbook (opsdeck runbook list shows them), or use a subcommand");
            return Main.INVALID;
        }
        Map<String, String> values = parse(params);
        if (values == null) return Main.INVALID;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("params", values);
        if (incident != null) body.put("incident_id", incident);
        if (dryRun) body.put("dry_run", true);
        return Cli.judge(() -> {
            JsonNode answer;
            try {
                answer = remote.client().send("POST", "/api/v1/runbooks/" + Cli.pathSegment(runbook) + "/runs", body);
            } catch (ApiClient.ClientException e) {
                // a refused parameter is invalid input, not a failed run
                if (e.getMessage().contains(": 400 ")) {
                    System.err.println("opsdeck: " + e.getMessage());
                    return Main.INVALID;
                }
                throw e;
            }
            if (json && !follow) {
                Cli.printJson(answer);
            } else if (dryRun) {
                System.out.println("Dry run of " + answer.path("runbook").asText() + " (nothing ran).");
                System.out.println("Parameters: " + answer.path("params"));
                int i = 1;
                for (JsonNode s : answer.path("steps")) System.out.println("  " + i++ + ". " + s.asText());
                for (JsonNode s : answer.path("rollback")) System.out.println("  rollback: " + s.asText());
            } else if (!follow) {
                System.out.println("Started " + answer.path("id").asText() + " ("
                        + answer.path("status").asText() + "); follow it with: opsdeck run status "
                        + answer.path("id").asText() + " --follow");
            }
            return follow && !dryRun
                    ? RunFollower.follow(remote.client(), answer.path("id").asText(), json)
                    : Main.OK;
        });
    }

    /** NAME=VALUE pairs; null (after an error message) when one has no '='. */
    static Map<String, String> parse(List<String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        if (params == null) return out;
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                System.err.println("error: --param " + p + ": expected NAME=VALUE");
                return null;
            }
            out.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return out;
    }

    static String millis(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "-";
        return Units.format(Duration.ofMillis(n.asLong()));
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "A run's steps with target and actual times, whether each met its target, who confirmed a step and how long it waited.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "RUN")
        String id;

        @Option(
                names = {"-f", "--follow"},
                description = "Keep printing until the run ends.")
        boolean follow;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (follow) return Cli.judge(() -> RunFollower.follow(remote.client(), id, json));
            return remote.show("/api/v1/runs/" + Cli.pathSegment(id), json, RunFollower::printSummary);
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve the step a run waits on.")
    static final class Approve extends Decision {
        Approve() {
            super("approve", "Approved");
        }
    }

    @Command(
            name = "reject",
            mixinStandardHelpOptions = true,
            description = "Reject the step a run waits on (the step fails).")
    static final class Reject extends Decision {
        Reject() {
            super("reject", "Rejected");
        }
    }

    /** Approve and reject: one answer to the step a run waits on. */
    abstract static class Decision implements Callable<Integer> {
        private final String action;
        private final String done;

        @Mixin
        Remote remote;

        @Parameters(paramLabel = "RUN")
        String id;

        @Option(names = "--reason", description = "Why (recorded).")
        String reason;

        Decision(String action, String done) {
            this.action = action;
            this.done = done;
        }

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (reason != null) body.put("reason", reason);
            return Cli.run(() -> {
                JsonNode run = remote.client().send("POST", "/api/v1/runs/" + Cli.pathSegment(id) + "/" + action, body);
                System.out.println(done + " step " + run.path("current_step").asText() + " of "
                        + run.path("id").asText() + ".");
            });
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a run; its running command is killed.")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "RUN")
        String id;

        @Override
        public Integer call() throws Exception {
            return Cli.run(() -> {
                remote.client().send("POST", "/api/v1/runs/" + Cli.pathSegment(id) + "/cancel", null);
                System.out.println("Cancelling " + id + ".");
            });
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resume an interrupted, failed or cancelled run from its step (or --from-start).")
    static final class Resume implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "RUN")
        String id;

        @Option(names = "--from-start", description = "Run every step again.")
        boolean fromStart;

        @Option(
                names = {"-p", "--param"},
                paramLabel = "NAME=VALUE",
                description = "Change a parameter, or give a secret one again.")
        List<String> params;

        @Option(
                names = {"-f", "--follow"},
                description = "Follow the run.")
        boolean follow;

        @Override
        public Integer call() throws Exception {
            Map<String, String> values = parse(params);
            if (values == null) return Main.INVALID;
            return Cli.judge(() -> {
                JsonNode run = remote.client()
                        .send(
                                "POST",
                                "/api/v1/runs/" + Cli.pathSegment(id) + "/resume",
                                Map.of("from", fromStart ? "start" : "step", "params", values));
                System.out.println("Resumed " + run.path("id").asText() + ": "
                        + run.path("message").asText());
                return follow ? RunFollower.follow(remote.client(), id, false) : Main.OK;
            });
        }
    }
}
