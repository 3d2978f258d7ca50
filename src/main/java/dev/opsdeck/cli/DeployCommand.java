package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Deploy SERVICE at VERSION through its deploy runbook, gate and bake; list, show and roll back deploys.",
            "Exit codes: 0 accepted (with --follow: succeeded), 1 with --follow: the deploy ended failed, rolled_back,"
                    + " rollback_failed or cancelled, 2 refused (unknown service or version, a deploy already"
                    + " running, a freeze, a missing permission), 3 server unreachable."
        },
        subcommands = {
            DeployCommand.ListDeploys.class,
            DeployCommand.Show.class,
            DeployCommand.Rollback.class,
            DeployDoraCommand.class
        })
/**
 * {@code opsdeck deploy}. The command itself starts a deploy (its subcommands' names, list, show, rollback and dora, are
 * not usable as service names here). A refusal exits 2 and a deploy that ended badly 1, so a pipeline can tell "you
 * asked wrong" from "production refused the change".
 */
final class DeployCommand implements Callable<Integer> {
    private static final Set<String> GOOD = Set.of("succeeded");

    @Mixin
    Remote remote;

    @Spec
    CommandSpec spec;

    // optional to picocli: required, they would be demanded before a subcommand (deploy list) too
    @Parameters(index = "0", paramLabel = "SERVICE", arity = "0..1")
    String service;

    @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1", description = "A tag, image or commit.")
    String version;

    @Option(names = "--follow", description = "Print the deploy's evidence as it comes, until it ends.")
    boolean follow;

    @Option(names = "--json", description = "Print JSON (with --follow: the final deploy with its evidence).")
    boolean json;

    @Option(names = "--reason", description = "Why: kept on the deploy; required with --override-freeze.")
    String reason;

    @Option(names = "--override-freeze", description = "Deploy through a freeze (audited with the reason).")
    boolean overrideFreeze;

    @Option(names = "--description", description = "What changes (kept on the deploy).")
    String description;

    @Override
    public Integer call() throws Exception {
        if (service == null || version == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing required parameters: SERVICE VERSION (or a subcommand: list, show, rollback, dora)");
        }
        return Cli.judge(Main.INVALID, () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", version);
            if (reason != null) body.put("reason", reason);
            if (overrideFreeze) body.put("override_freeze", true);
            if (description != null) body.put("description", description);
            JsonNode d =
                    remote.client().send("POST", "/api/v1/services/" + Cli.pathSegment(service) + "/deploys", body);
            return follow(remote, d, follow, json);
        });
    }

    /** Prints the accepted deploy, or follows it to its end; the exit code says how it ended. */
    static int follow(Remote remote, JsonNode d, boolean follow, boolean json) throws Exception {
        String id = d.path("id").asText();
        if (!follow) {
            Cli.print(
                    d,
                    json,
                    a -> System.out.println(
                            "Deploy " + id + " of " + a.path("service").asText() + " "
                                    + a.path("version").asText() + ": "
                                    + a.path("state").asText() + ". Follow it with: opsdeck"
                                    + " deploy show " + id));
            return Main.OK;
        }
        int seen = 0;
        JsonNode now;
        while (true) {
            now = remote.client().get("/api/v1/deploys/" + Cli.pathSegment(id) + "?after=" + seen);
            for (JsonNode e : now.path("evidence")) {
                seen = e.path("seq").asInt();
                if (!json) System.out.println(line(e));
            }
            String state = now.path("state").asText();
            if (Set.of("succeeded", "failed", "rolled_back", "rollback_failed", "cancelled")
                    .contains(state)) break;
            Thread.sleep(500);
        }
        if (json) Cli.printJson(remote.client().get("/api/v1/deploys/" + Cli.pathSegment(id)));
        else System.out.println("Deploy " + id + ": " + now.path("state").asText() + ".");
        return GOOD.contains(now.path("state").asText()) ? Main.OK : Main.FAILED;
    }

    private static String line(JsonNode e) {
        String body = e.path("body").asText("");
        return e.path("at").asText() + "  " + e.path("phase").asText() + "  "
                + e.path("name").asText() + "  "
                + (e.path("passed").asBoolean() ? "ok" : "FAILED") + "  "
                + e.path("detail").asText("")
                + (body.isEmpty() ? "" : "\n    body: " + body.replace("\n", "\n    "));
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The change log: deploys newest first, of every service or of SERVICE.")
    static final class ListDeploys implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(index = "0", paramLabel = "SERVICE", arity = "0..1")
        String service;

        @Option(names = "--state", description = "Only deploys in this state.")
        String state;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50, at most 1000).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(Main.INVALID, () -> {
                StringBuilder q = new StringBuilder("/api/v1/deploys?limit=" + limit);
                if (service != null) q.append("&service=").append(Cli.query(service));
                if (state != null) q.append("&state=").append(Cli.query(state));
                Cli.print(remote.client().get(q.toString()), json, a -> {
                    List<String[]> rows = new ArrayList<>();
                    rows.add(new String[] {"ID", "SERVICE", "VERSION", "PREVIOUS", "STATE", "BY", "SOURCE", "REQUESTED"
                    });
                    for (JsonNode d : a.path("deploys")) {
                        rows.add(new String[] {
                            d.path("id").asText(),
                            d.path("service").asText(),
                            d.path("version").asText(),
                            d.path("previous_version").asText("-"),
                            d.path("state").asText(),
                            d.path("actor").asText(),
                            d.path("source").asText(),
                            d.path("requested_at").asText()
                        });
                    }
                    Cli.printTable(rows);
                });
                return Main.OK;
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One deploy with its gate and bake evidence.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(Main.INVALID, () -> {
                Cli.print(remote.client().get("/api/v1/deploys/" + Cli.pathSegment(id)), json, a -> {
                    System.out.println("Deploy " + a.path("id").asText() + ": "
                            + a.path("service").asText() + " "
                            + a.path("previous_version").asText("(none)") + " -> "
                            + a.path("version").asText()
                            + ", " + a.path("state").asText() + ", by "
                            + a.path("actor").asText() + " ("
                            + a.path("source").asText() + ")");
                    if (!a.path("run_id").isNull())
                        System.out.println("Run: " + a.path("run_id").asText());
                    if (!a.path("rollback_run_id").isNull())
                        System.out.println(
                                "Rollback run: " + a.path("rollback_run_id").asText());
                    JsonNode wait = a.path("awaiting_approval");
                    if (wait.isObject())
                        System.out.println("Waiting for approval by a "
                                + wait.path("role").asText()
                                + (wait.path("four_eyes").asBoolean()
                                        ? " other than " + a.path("actor").asText()
                                        : ""));
                    for (JsonNode e : a.path("evidence")) System.out.println(line(e));
                });
                return Main.OK;
            });
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Redeploy the last successful version of SERVICE (or --to VERSION) through the same runbook and gate.",
                "--list prints the recent successful versions to choose from and changes nothing."
            })
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Option(names = "--to", paramLabel = "VERSION", description = "A version that succeeded before.")
        String to;

        @Option(names = "--list", description = "List the recent successful versions and exit.")
        boolean list;

        @Option(names = "--follow", description = "Print the evidence as it comes, until it ends.")
        boolean follow;

        @Option(names = "--reason", description = "Why (kept on the deploy and in the audit log).")
        String reason;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(Main.INVALID, () -> {
                String base = "/api/v1/services/" + Cli.pathSegment(service);
                if (list) {
                    Cli.print(remote.client().get(base + "/versions"), json, a -> {
                        List<String[]> rows = new ArrayList<>();
                        rows.add(new String[] {"VERSION", "DEPLOYED", "BY", "DEPLOY"});
                        for (JsonNode v : a.path("versions")) {
                            rows.add(new String[] {
                                v.path("version").asText(),
                                v.path("at").asText(),
                                v.path("actor").asText(),
                                v.path("deploy_id").asText()
                            });
                        }
                        Cli.printTable(rows);
                    });
                    return Main.OK;
                }
                Map<String, Object> body = new LinkedHashMap<>();
                if (to != null) body.put("to", to);
                if (reason != null) body.put("reason", reason);
                return follow(remote, remote.client().send("POST", base + "/rollback", body), follow, json);
            });
        }
    }
}
