package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opsdeck deploy dora}: the DORA figures of {@code GET /api/v1/deploys/dora} as a table or as its JSON. */
@Command(
        name = "dora",
        mixinStandardHelpOptions = true,
        description = {
            "The DORA figures of the production deploys: overall and per service, or of --service.",
            "Deploys (and per week), lead time (median), change failure rate, recovery time (median), rework rate;"
                    + " the definitions are in docs/deploys.md. Exit codes: 0 printed, 2 refused (a bad --days),"
                    + " 3 server unreachable."
        })
final class DeployDoraCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only this service's figures.")
    String service;

    @Option(names = "--days", paramLabel = "N", description = "The last N days (1 to 365; default 30).")
    Integer days;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return Cli.judge(Main.INVALID, () -> {
            StringBuilder q = new StringBuilder("/api/v1/deploys/dora");
            String sep = "?";
            if (service != null) {
                q.append(sep).append("service=").append(Cli.query(service));
                sep = "&";
            }
            if (days != null) q.append(sep).append("days=").append(days);
            Cli.print(remote.client().get(q.toString()), json, DeployDoraCommand::table);
            return Main.OK;
        });
    }

    private static void table(JsonNode a) {
        System.out.println("DORA figures of the last " + a.path("days").asInt() + " days ("
                + a.path("from").asText() + " to " + a.path("to").asText() + ")");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "DEPLOYS", "PER WEEK", "LEAD TIME", "CHANGE FAILURE", "RECOVERY", "REWORK"});
        if (a.has("service")) {
            rows.add(row(a.path("service").asText(), a.path("figures")));
        } else {
            rows.add(row("(all)", a.path("overall")));
            for (Map.Entry<String, JsonNode> e : a.path("services").properties())
                rows.add(row(e.getKey(), e.getValue()));
        }
        Cli.printTable(rows);
        for (JsonNode f : a.path("failures")) {
            List<String> reasons = new ArrayList<>();
            f.path("reasons").forEach(r -> reasons.add(r.asText()));
            System.out.println("failed change " + f.path("deploy").asText() + " ("
                    + f.path("service").asText() + "): " + String.join("; ", reasons));
        }
    }

    private static String[] row(String name, JsonNode f) {
        return new String[] {
            name,
            f.path("deploys").asText(),
            decimal(f.path("per_week")),
            duration(f.path("lead_time").path("median_seconds")),
            percent(f.path("change_failure_rate")),
            duration(f.path("recovery").path("median_seconds")),
            percent(f.path("rework_rate"))
        };
    }

    private static String decimal(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "-";
    }

    private static String percent(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.0f%%", n.asDouble() * 100) : "-";
    }

    /** Seconds as 45s, 12m, 3.5h or 2.0d: a median lead time reads at a glance. */
    static String duration(JsonNode n) {
        if (!n.isNumber()) return "-";
        double s = n.asDouble();
        if (s < 60) return String.format(Locale.ROOT, "%.0fs", s);
        if (s < 3600) return String.format(Locale.ROOT, "%.0fm", s / 60);
        if (s < 86_400) return String.format(Locale.ROOT, "%.1fh", s / 3600);
        return String.format(Locale.ROOT, "%.1fd", s / 86_400);
    }
}
