package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsdeck.config.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show every service and check of a running server.",
            "Exit code 1 when any service is down, 3 when the server is unreachable."
        })
final class StatusCommand implements Callable<Integer> {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Server URL (default $OPSDECK_URL or http://127.0.0.1:8080).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "API token (default $OPSDECK_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print JSON: {\"services\": [{\"name\", \"status\", \"checks\": [...]}]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        JsonNode body;
        try {
            body = new ApiClient(server, token).get("/api/v1/services");
        } catch (ApiClient.ClientException e) {
            System.err.println("opsdeck: " + e.getMessage());
            return e.exitCode;
        }
        boolean anyDown = false;
        for (JsonNode s : body.path("services"))
            anyDown |= s.path("status").asText().equals("down");
        if (json) {
            System.out.println(Json.pretty(compact(body)));
        } else {
            printTable(body);
        }
        return anyDown ? Main.FAILED : Main.OK;
    }

    private static JsonNode compact(JsonNode body) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode services = out.putArray("services");
        for (JsonNode s : body.path("services")) services.add(s);
        return out;
    }

    private static void printTable(JsonNode body) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "CHECK", "STATUS", "LATENCY", "MESSAGE"});
        for (JsonNode s : body.path("services")) {
            String impacted =
                    s.path("impacted_by").isEmpty() ? "" : " (impacted by " + join(s.path("impacted_by")) + ")";
            rows.add(new String[] {
                s.path("name").asText(),
                "",
                s.path("status").asText().toUpperCase(),
                "",
                s.path("message").asText() + impacted
            });
            for (JsonNode c : s.path("checks")) {
                rows.add(new String[] {
                    "",
                    c.path("name").asText(),
                    c.path("status").asText(),
                    c.path("latency_ms").asLong() + "ms",
                    c.path("message").asText()
                });
            }
        }
        int[] widths = new int[4];
        for (String[] r : rows) for (int i = 0; i < 4; i++) widths[i] = Math.max(widths[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 4; i++) line.append(String.format("%-" + (widths[i] + 2) + "s", r[i]));
            String msg = r[4].length() > 100 ? r[4].substring(0, 99) + "…" : r[4];
            System.out.println(line.append(msg).toString().stripTrailing());
        }
    }

    private static String join(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }
}
