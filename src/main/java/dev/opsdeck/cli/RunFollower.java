package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --follow}: reads the run's event stream ({@code GET /api/v1/runs/{id}/events}) and prints each step as it
 * starts and ends, its output as it comes, and the target/actual table at the end. A stream that breaks is opened
 * again with the last event id, so no output line is lost or printed twice. Exit code 0 when the run succeeded,
 * 1 otherwise.
 */
final class RunFollower {
    /** How often a broken stream is opened again before giving up (with a second between tries). */
    private static final int RECONNECTS = 30;

    private RunFollower() {}

    static int follow(ApiClient client, String id, boolean json) throws Exception {
        Printer printer = new Printer(id, json);
        String path = "/api/v1/runs/" + Cli.pathSegment(id) + "/events";
        int failures = 0;
        while (!printer.ended) {
            try {
                client.events(path, printer.lastId, printer::handle);
                if (!printer.ended) throw new IOException("the server closed the stream before the run ended");
            } catch (IOException e) {
                if (++failures > RECONNECTS) {
                    throw new ApiClient.ClientException(
                            "lost the run's event stream: " + e.getMessage()
                                    + "; see where it stands with: opsdeck run status " + id,
                            Main.UNREACHABLE);
                }
                Thread.sleep(1000);
            }
        }
        printer.flush();
        JsonNode run = client.get("/api/v1/runs/" + Cli.pathSegment(id));
        if (json) Cli.printJson(run);
        else printSummary(run);
        return run.path("status").asText().equals("succeeded") ? Main.OK : Main.FAILED;
    }

    /**
     * Turns events into lines. A step's closing line waits until anything else happens, so output of that step
     * that arrives after the event saying it ended still prints above it.
     */
    private static final class Printer {
        final String id;
        final boolean json;
        final Set<String> announced = new HashSet<>();
        final Set<String> finished = new HashSet<>();
        final Map<String, String> closing = new LinkedHashMap<>();
        String lastId;
        String waitingFor;
        boolean ended;

        Printer(String id, boolean json) {
            this.id = id;
            this.json = json;
        }

        boolean handle(ApiClient.Event e) throws ApiClient.ClientException {
            lastId = e.id();
            JsonNode d;
            try {
                d = Json.MAPPER.readTree(e.data());
            } catch (IOException x) {
                throw new ApiClient.ClientException(
                        "the run's event stream sent something that is not JSON", Main.FAILED);
            }
            switch (e.name()) {
                case "step" -> step(d);
                case "output" -> {
                    String seq = d.path("seq").asText();
                    flushExcept(seq);
                    if (!json) System.out.print(indent(d.path("text").asText()));
                }
                case "run" -> {
                    JsonNode pending = d.path("pending_approval");
                    if (!json
                            && pending.isObject()
                            && !pending.path("step").asText().equals(waitingFor)) {
                        flush();
                        waitingFor = pending.path("step").asText();
                        System.out.println("  waiting for approval ("
                                + pending.path("role").asText() + "): "
                                + pending.path("prompt").asText() + "\n  approve with: opsdeck run approve " + id);
                    }
                }
                case "end" -> {
                    ended = true;
                    return false;
                }
                default -> {} // newer servers may send more kinds
            }
            return true;
        }

        private void step(JsonNode s) {
            String key = s.path("seq").asText();
            flushExcept(key);
            if (announced.add(key) && !json)
                System.out.println(
                        "▶ " + s.path("step").asText() + " [" + s.path("type").asText() + "]");
            String status = s.path("status").asText();
            if (!status.equals("running") && !status.equals("waiting") && finished.add(key) && !json) {
                closing.put(
                        key,
                        "  " + s.path("status_text").asText(status) + " in " + RunCommand.millis(s.path("duration_ms"))
                                + (s.path("target_ms").isNull()
                                        ? ""
                                        : " (target " + RunCommand.millis(s.path("target_ms")) + ")")
                                + (confirmation(s).isEmpty() ? "" : ", " + confirmation(s))
                                + (s.path("message").isNull()
                                        ? ""
                                        : ": " + s.path("message").asText()));
            }
        }

        private void flushExcept(String seq) {
            closing.entrySet().removeIf(c -> {
                if (c.getKey().equals(seq)) return false;
                System.out.println(c.getValue());
                return true;
            });
        }

        void flush() {
            closing.values().forEach(System.out::println);
            closing.clear();
        }
    }

    static void printSummary(JsonNode run) {
        String status = run.path("status_text").asText(run.path("status").asText());
        System.out.println(
                "Run " + run.path("id").asText() + " of " + run.path("runbook").asText() + ": " + status
                        + (run.path("message").isNull()
                                ? ""
                                : " (" + run.path("message").asText() + ")"));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STEP", "STATUS", "TARGET", "ACTUAL", "MET", "CONFIRMATION"});
        JsonNode metrics = run.path("metrics");
        for (JsonNode s : run.path("steps")) {
            rows.add(new String[] {
                s.path("step").asText() + (s.path("phase").asText().equals("rollback") ? " (rollback)" : ""),
                s.path("status_text").asText(s.path("status").asText()),
                RunCommand.millis(s.path("target_ms")),
                RunCommand.millis(s.path("duration_ms")),
                yesNo(s.path("met")),
                confirmation(s)
            });
        }
        rows.add(new String[] {
            "TOTAL",
            status,
            RunCommand.millis(metrics.path("rto_ms")),
            RunCommand.millis(metrics.path("total_ms")),
            yesNo(metrics.path("rto_met")),
            ""
        });
        Cli.printTable(rows);
    }

    private static String yesNo(JsonNode met) {
        return met.isBoolean() ? met.asBoolean() ? "yes" : "no" : "";
    }

    /** Who confirmed a confirm: true step and how long it waited (not part of its duration); empty for other steps. */
    static String confirmation(JsonNode s) {
        if (s.path("wait_ms").isNull() || s.path("wait_ms").isMissingNode()) return "";
        return s.path("confirmed_by").isTextual()
                ? "confirmed by " + s.path("confirmed_by").asText() + " after " + RunCommand.millis(s.path("wait_ms"))
                : "waited " + RunCommand.millis(s.path("wait_ms")) + " for a confirmation";
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  │ " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
