package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --follow}: polls the run twice a second and prints each step as it starts and ends, the running step's
 * new output as it comes, and the target/actual table at the end. Exit code 0 when the run succeeded, 1 otherwise.
 */
final class RunFollower {
    private RunFollower() {}

    static int follow(ApiClient client, String id, boolean json) throws Exception {
        Set<String> announced = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String printed = "";
        String waitingFor = null;
        while (true) {
            JsonNode run = client.get("/api/v1/runs/" + Cli.pathSegment(id));
            for (JsonNode s : run.path("steps")) {
                String key = s.path("seq").asText();
                if (announced.add(key) && !json) System.out.println("▶ " + s.path("step").asText() + " [" + s.path("type").asText() + "]");
                String status = s.path("status").asText();
                if (!status.equals("running") && !status.equals("waiting") && finished.add(key)) {
                    if (!json) {
                        // what the last poll did not show yet: the stored output goes on from what was printed live
                        String out = status.equals("skipped") ? ""
                                : client.text("/api/v1/runs/" + Cli.pathSegment(id) + "/steps/" + key + "/output");
                        if (out.startsWith(printed) && out.length() > printed.length()) {
                            System.out.print(indent(out.substring(printed.length())));
                        }
                        System.out.println("  " + status + " in " + RunCommand.millis(s.path("duration_ms"))
                                + (s.path("target_ms").isNull() ? "" : " (target " + RunCommand.millis(s.path("target_ms")) + ")")
                                + (s.path("message").isNull() ? "" : ": " + s.path("message").asText()));
                    }
                    printed = "";
                }
            }
            String live = run.path("live_output").isNull() ? "" : run.path("live_output").asText();
            if (!json && live.startsWith(printed) && live.length() > printed.length()) {
                System.out.print(indent(live.substring(printed.length())));
                printed = live;
            }
            JsonNode pending = run.path("pending_approval");
            if (!json && pending.isObject() && !pending.path("step").asText().equals(waitingFor)) {
                waitingFor = pending.path("step").asText();
                System.out.println("  waiting for approval (" + pending.path("role").asText() + "): " + pending.path("prompt").asText()
                        + "\n  approve with: opsdeck run approve " + id);
            }
            String status = run.path("status").asText();
            if (!status.equals("queued") && !status.equals("running") && !status.equals("waiting_approval")) {
                if (json) Cli.printJson(run);
                else printSummary(run);
                return status.equals("succeeded") ? Main.OK : Main.FAILED;
            }
            Thread.sleep(500);
        }
    }

    static void printSummary(JsonNode run) {
        System.out.println("Run " + run.path("id").asText() + " of " + run.path("runbook").asText() + ": " + run.path("status").asText()
                + (run.path("message").isNull() ? "" : " (" + run.path("message").asText() + ")"));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STEP", "STATUS", "TARGET", "ACTUAL", "MET"});
        JsonNode metrics = run.path("metrics");
        for (JsonNode s : run.path("steps")) {
            rows.add(new String[] {s.path("step").asText() + (s.path("phase").asText().equals("rollback") ? " (rollback)" : ""),
                    s.path("status").asText(), RunCommand.millis(s.path("target_ms")), RunCommand.millis(s.path("duration_ms")),
                    s.path("target_ms").isNull() || s.path("duration_ms").isNull() ? "" : s.path("over_target").asBoolean() ? "no" : "yes"});
        }
        rows.add(new String[] {"TOTAL", run.path("status").asText(), RunCommand.millis(metrics.path("rto_ms")),
                RunCommand.millis(metrics.path("total_ms")), metrics.path("rto_met").isNull() ? "" : metrics.path("rto_met").asBoolean() ? "yes" : "no"});
        Cli.printTable(rows);
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  │ " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
