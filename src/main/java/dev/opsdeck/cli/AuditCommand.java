package dev.opsdeck.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Show or export the audit log (admins only): who did what, from where, when.",
            "--export prints every matching entry as JSON lines, oldest first, for archiving or a SIEM."
        })
final class AuditCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = "--actor", description = "Only this actor (user name, or key:ID (owner)).")
    String actor;

    @Option(names = "--action", description = "Only actions starting with this, e.g. auth. or apikey.create.")
    String action;

    @Option(names = "--since", paramLabel = "TIME", description = "ISO-8601 UTC, e.g. 2026-11-23T00:00:00Z.")
    String since;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many entries (default 50).")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--export", description = "Print all matching entries as JSON lines.")
    boolean export;

    @Override
    public Integer call() throws Exception {
        StringBuilder q = new StringBuilder();
        if (actor != null) q.append("&actor=").append(Cli.query(actor));
        if (action != null) q.append("&action=").append(Cli.query(action));
        if (since != null) q.append("&since=").append(Cli.query(since));
        if (export) {
            return Cli.run(() -> System.out.print(
                    remote.client().text("/api/v1/audit/export" + (q.isEmpty() ? "" : "?" + q.substring(1)))));
        }
        return remote.show("/api/v1/audit?limit=" + limit + q, json, body -> {
            Cli.printTable(
                    new String[] {"TIME", "ACTOR", "SOURCE", "ACTION", "TARGET", "OUTCOME"},
                    body.path("entries"),
                    e -> new String[] {
                        Instant.ofEpochMilli(e.path("at_ms").asLong()).toString(),
                        e.path("actor").asText(),
                        e.path("source").asText(),
                        e.path("action").asText(),
                        e.path("target").asText(),
                        e.path("outcome").asText()
                    });
        });
    }
}
