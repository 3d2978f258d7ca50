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
        name = "incident",
        mixinStandardHelpOptions = true,
        description = {
            "List, show, acknowledge, resolve and annotate incidents.",
            "Acknowledging and resolving need the responder role; notes are markdown, stored as written."
        },
        subcommands = {
            IncidentCommand.ListIncidents.class,
            IncidentCommand.Show.class,
            IncidentCommand.Ack.class,
            IncidentCommand.Resolve.class,
            IncidentCommand.Note.class
        })
final class IncidentCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Incidents, newest first.")
    static final class ListIncidents implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--state", description = "open, triggered, acknowledged or resolved (default: all).")
        String state;

        @Option(names = "--severity", description = "P1, P2, P3 or P4.")
        String severity;

        @Option(names = "--service", description = "Root cause or impacted service.")
        String service;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-500, default 50).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder("?limit=" + limit);
            if (state != null) q.append("&state=").append(Cli.query(state));
            if (severity != null) q.append("&severity=").append(Cli.query(severity));
            if (service != null) q.append("&service=").append(Cli.query(service));
            return remote.show("/api/v1/incidents" + q, json, body -> {
                Cli.printTable(
                        new String[] {"ID", "SEV", "STATE", "SERVICE", "OPENED", "SLA", "TITLE"},
                        body.path("incidents"),
                        i -> new String[] {
                            i.path("id").asText(),
                            i.path("severity").asText(),
                            i.path("state").asText(),
                            i.path("service").asText("-"),
                            i.path("opened_at").asText(),
                            sla(i.path("sla")),
                            i.path("title").asText()
                        });
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One incident: alerts, impacted services, timeline.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/incidents/" + id, json, i -> {
                System.out.println("Incident " + i.path("id").asText() + " ["
                        + i.path("severity").asText() + ", " + i.path("state").asText() + "] "
                        + i.path("title").asText());
                System.out.println("Root cause: " + i.path("root_cause").asText("-"));
                System.out.println(
                        "Impacted:   " + (i.path("impacted").isEmpty() ? "-" : Cli.join(i.path("impacted"), ", ")));
                System.out.println("Runbook:    " + i.path("runbook").asText("-"));
                System.out.println("Assignee:   " + i.path("assignee").asText("-"));
                System.out.println("SLA:        " + sla(i.path("sla")));
                System.out.println();
                Cli.printTable(new String[] {"TIME", "KIND", "ACTOR", "TEXT"}, i.path("timeline"), t -> new String[] {
                    t.path("at").asText(),
                    t.path("kind").asText(),
                    t.path("actor").asText(),
                    t.path("text").asText("").replace('\n', ' ')
                });
            });
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledge: you are on it.")
    static final class Ack extends Transition {
        Ack() {
            super("ack", "Acknowledged");
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Resolve the incident.")
    static final class Resolve extends Transition {
        Resolve() {
            super("resolve", "Resolved");
        }
    }

    /** Acknowledge and resolve: an incident moves on to its next state. */
    abstract static class Transition implements Callable<Integer> {
        private final String action;
        private final String done;

        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID")
        long id;

        @Option(names = "--json", description = "Print the incident as JSON.")
        boolean json;

        Transition(String action, String done) {
            this.action = action;
            this.done = done;
        }

        @Override
        public Integer call() throws Exception {
            return remote.change(
                    "POST",
                    "/api/v1/incidents/" + id + "/" + action,
                    null,
                    json,
                    i -> System.out.println(
                            done + " incident " + id + ": " + i.path("title").asText() + "."));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add a note (markdown) to the timeline.")
    static final class Note implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Parameters(index = "1", paramLabel = "TEXT", description = "The note; quote it.")
        String text;

        @Option(names = "--json", description = "Print the timeline entry as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("text", text);
            return remote.change(
                    "POST",
                    "/api/v1/incidents/" + id + "/notes",
                    body,
                    json,
                    entry -> System.out.println("Noted on incident " + id + "."));
        }
    }

    /** The SLA clock in one cell: what is due when, and whether it was missed. */
    static String sla(JsonNode s) {
        List<String> parts = new ArrayList<>();
        if (!s.path("ack_due_at").isNull()) {
            parts.add("ack by " + s.path("ack_due_at").asText()
                    + (s.path("ack_breached").asBoolean() ? " MISSED" : ""));
        }
        if (!s.path("resolve_due_at").isNull()) {
            parts.add("resolve by " + s.path("resolve_due_at").asText()
                    + (s.path("resolve_breached").asBoolean() ? " MISSED" : ""));
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }
}
