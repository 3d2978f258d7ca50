package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        name = "checklist",
        mixinStandardHelpOptions = true,
        description = {
            "Readiness checklists: list them, run one, show its items, attest, waive, export the report.",
            "Exit codes: 0 ok (run: ready), 1 run: not ready, 2 invalid input or refused by the server"
                    + " (an unknown checklist or item, a missing permission), 3 server unreachable."
        },
        subcommands = {
            ChecklistCommand.ListChecklists.class,
            ChecklistCommand.Run.class,
            ChecklistCommand.Show.class,
            ChecklistCommand.Attest.class,
            ChecklistCommand.Waive.class,
            ChecklistCommand.Export.class
        })
/**
 * {@code opsdeck checklist}. A refusal of the server exits 2, not 1 as elsewhere: {@code run} exits 1 for a checklist
 * that is not ready, and a script must not take an unknown checklist or a missing permission for that.
 */
final class ChecklistCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every checklist with its state and score.")
    static final class ListChecklists implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(Main.INVALID, () -> {
                Cli.print(remote.client().get("/api/v1/checklists"), json, a -> {
                    List<String[]> rows = new ArrayList<>();
                    rows.add(new String[] {"NAME", "STATE", "SCORE", "ITEMS", "LAST RUN", "TITLE"});
                    for (JsonNode c : a.path("checklists")) {
                        rows.add(new String[] {
                            c.path("name").asText(),
                            c.path("state").asText(),
                            score(c),
                            c.path("items").asText(),
                            c.path("last_run").path("ended_at").asText("-"),
                            c.path("title").asText("")
                        });
                    }
                    Cli.printTable(rows);
                });
                return Main.OK;
            });
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run a checklist now; exits 0 when it is ready, 1 when it is not.")
    static final class Run implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print the run and each item's result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(Main.INVALID, () -> {
                JsonNode r = remote.client().send("POST", path(name) + "/run", null);
                Cli.print(r, json, a -> {
                    List<String[]> rows = new ArrayList<>();
                    rows.add(new String[] {"ITEM", "STATE", "MESSAGE"});
                    for (JsonNode i : a.path("items")) {
                        rows.add(new String[] {
                            i.path("item").asText(), i.path("state").asText(), message(i)
                        });
                    }
                    Cli.printTable(rows);
                    System.out.println(
                            "Checklist " + name + ": " + a.path("state").asText() + ", score " + score(a) + " (run "
                                    + a.path("id").asText() + ").");
                });
                return r.path("state").asText().equals("ready") ? Main.OK : Main.FAILED;
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A checklist's items with their latest state, its attestations and waivers.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print JSON (with evidence and history).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(Main.INVALID, () -> {
                Cli.print(remote.client().get(path(name)), json, a -> {
                    System.out.println(a.path("title").asText(name) + " ("
                            + a.path("name").asText() + "): " + a.path("state").asText() + ", score " + score(a));
                    List<String[]> rows = new ArrayList<>();
                    rows.add(new String[] {"SECTION", "ITEM", "SEVERITY", "KIND", "STATE", "MESSAGE"});
                    for (JsonNode i : a.path("items")) {
                        rows.add(new String[] {
                            i.path("section").asText(""),
                            i.path("id").asText(),
                            i.path("severity").asText(),
                            i.path("kind").asText(),
                            i.path("state").asText("-"),
                            message(i)
                        });
                    }
                    Cli.printTable(rows);
                    if (!a.path("waivers").isEmpty()) {
                        List<String[]> waivers = new ArrayList<>();
                        waivers.add(
                                new String[] {"WAIVER", "ITEM", "STATUS", "REQUESTED BY", "APPROVED BY", "EXPIRES"});
                        for (JsonNode w : a.path("waivers")) {
                            waivers.add(new String[] {
                                w.path("id").asText(),
                                w.path("item").asText(),
                                w.path("status").asText(),
                                w.path("requested_by").asText(),
                                w.path("approved_by").asText("-"),
                                w.path("expires_at").asText()
                            });
                        }
                        System.out.println();
                        Cli.printTable(waivers);
                    }
                });
                return Main.OK;
            });
        }
    }

    @Command(name = "attest", mixinStandardHelpOptions = true, description = "Attest a manual item (responder role).")
    static final class Attest implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ITEM")
        String item;

        @Option(names = "--note", required = true, description = "What was checked and how (required).")
        String note;

        @Option(names = "--json", description = "Print the attestation as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return change(
                    remote,
                    path(name) + "/items/" + Cli.pathSegment(item) + "/attest",
                    Map.of("note", note),
                    json,
                    a -> System.out.println("Attested " + name + "/" + item + " until "
                            + a.path("expires_at").asText() + "; checklist "
                            + a.path("checklist_state").asText() + ", score " + score(a) + "."));
        }
    }

    @Command(
            name = "waive",
            mixinStandardHelpOptions = true,
            description = {
                "Request a waiver for an item (NAME ITEM --reason --expires), or approve someone else's",
                "(NAME --approve ID). Both need the operator role."
            })
    static final class Waive implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ITEM")
        String item;

        @Option(names = "--reason", description = "Why the item may not hold (required for a request).")
        String reason;

        @Option(names = "--expires", description = "How long the waiver holds, e.g. 30d (at most 365d).")
        String expires;

        @Option(names = "--approve", paramLabel = "ID", description = "Approve the waiver with this id instead.")
        String approve;

        @Option(names = "--json", description = "Print the waiver as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (approve != null) {
                if (item != null || reason != null || expires != null) {
                    System.err.println("opsdeck: --approve ID takes only the checklist name, not ITEM, --reason"
                            + " or --expires");
                    return Main.INVALID;
                }
                return change(
                        remote,
                        path(name) + "/waivers/" + Cli.pathSegment(approve) + "/approve",
                        null,
                        json,
                        w -> System.out.println("Approved waiver "
                                + w.path("id").asText() + " of " + name + "/"
                                + w.path("item").asText() + " until "
                                + w.path("expires_at").asText()
                                + "; checklist " + w.path("checklist_state").asText() + ", score " + score(w) + "."));
            }
            if (item == null || reason == null || expires == null) {
                System.err.println("opsdeck: a waiver request needs NAME ITEM --reason TEXT --expires DURATION"
                        + " (or NAME --approve ID to approve one)");
                return Main.INVALID;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason);
            body.put("expires", expires);
            return change(
                    remote,
                    path(name) + "/items/" + Cli.pathSegment(item) + "/waivers",
                    body,
                    json,
                    w -> System.out.println("Requested waiver " + w.path("id").asText() + " for " + name + "/" + item
                            + " until " + w.path("expires_at").asText() + "; someone else approves it with: opsdeck"
                            + " checklist waive " + name + " --approve "
                            + w.path("id").asText()));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "The signed-off report, Markdown or JSON.")
    static final class Export implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--format", defaultValue = "md", description = "md (default) or json.")
        String format;

        @Option(names = "--output", paramLabel = "FILE", description = "Write the report here instead of stdout.")
        Path output;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("md") && !format.equals("json")) {
                System.err.println("opsdeck: --format: expected md or json, got '" + format + "'");
                return Main.INVALID;
            }
            return Cli.judge(Main.INVALID, () -> {
                String report = remote.client().text(path(name) + "/export?format=" + format);
                if (output == null) {
                    System.out.print(report.endsWith("\n") ? report : report + "\n");
                    return Main.OK;
                }
                try {
                    Files.writeString(output, report);
                } catch (IOException e) {
                    System.err.println("opsdeck: cannot write " + output + ": " + e.getMessage());
                    return Main.INVALID;
                }
                System.err.println("Wrote the " + name + " report to " + output + ".");
                return Main.OK;
            });
        }
    }

    private static int change(Remote remote, String path, Object body, boolean json, Cli.View text) throws Exception {
        return Cli.judge(Main.INVALID, () -> {
            Cli.print(remote.client().send("POST", path, body), json, text);
            return Main.OK;
        });
    }

    private static String path(String name) {
        return "/api/v1/checklists/" + Cli.pathSegment(name);
    }

    private static String score(JsonNode n) {
        return n.path("score").isNumber() ? n.path("score").asInt() + "%" : "-";
    }

    private static String message(JsonNode item) {
        String m = item.path("message").asText("");
        return m.length() <= 100 ? m.replace('\n', ' ') : m.substring(0, 100).replace('\n', ' ') + "...";
    }
}
