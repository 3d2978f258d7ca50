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
        return Cli.judge(() -> {
            JsonNode body = new ApiClient(server, token).get("/api/v1/services");
            boolean anyDown = false;
            for (JsonNode s : body.path("services"))
                anyDown |= s.path("status").asText().equals("down");
            if (json) Cli.printJson(compact(body));
            else printTable(body);
            return anyDown ? Main.FAILED : Main.OK;
        });
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
            String impacted = s.path("impacted_by").isEmpty()
                    ? ""
                    : " (impacted by " + Cli.join(s.path("impacted_by"), ", ") + ")";
            rows.add(new String[] {
                s.path("name").asText(),
                "",
                s.path("status").asText().toUpperCase(),
                "",
                shortened(s.path("message").asText() + impacted)
            });
            for (JsonNode c : s.path("checks")) {
                rows.add(new String[] {
                    "",
                    c.path("name").asText(),
                    c.path("status").asText(),
                    c.path("latency_ms").asLong() + "ms",
                    shortened(c.path("message").asText())
                });
            }
        }
        Cli.printTable(rows);
    }

    /** At most 100 characters, the last one an ellipsis when the message was longer. */
    private static String shortened(String message) {
        return message.length() > 100 ? message.substring(0, 99) + "…" : message;
    }
}
