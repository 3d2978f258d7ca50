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
            "Show the services and checks of a running server: the first page, or every page with --all.",
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

    @Option(
            names = "--json",
            description =
                    "Print JSON: {\"services\": [{\"name\", \"status\", \"checks\": [...]}], \"total\", \"next\"}.")
    boolean json;

    @Option(names = "--all", description = "Fetch every page, not only the first one.")
    boolean all;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Services per page, 1 to 1000 (default 100).",
            defaultValue = "100")
    int limit;

    @Option(
            names = "--status",
            paramLabel = "LIST",
            description = "Only services in these states, comma-separated: up, degraded, down, unknown.")
    String status;

    @Option(
            names = "--label",
            paramLabel = "NAME=VALUE",
            description = "Only services with a check whose alert labels include this one; repeat to require several.")
    List<String> labels = new ArrayList<>();

    @Option(
            names = "--search",
            paramLabel = "TEXT",
            description = "Only services whose name or description, or a check's, contains TEXT (any case).")
    String search;

    @Override
    public Integer call() throws Exception {
        return Cli.judge(() -> {
            ApiClient client = new ApiClient(server, token);
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode services = out.putArray("services");
            JsonNode page = client.get("/api/v1/services" + filters());
            services.addAll((ArrayNode) page.path("services"));
            // follows the next cursor; the server answers 400 when a service named by it left the configuration
            while (all && page.hasNonNull("next")) {
                page = client.get("/api/v1/services" + filters() + "&after="
                        + Cli.query(page.path("next").asText()));
                services.addAll((ArrayNode) page.path("services"));
            }
            out.set("total", page.path("total"));
            out.set("next", page.path("next"));
            boolean anyDown = false;
            for (JsonNode s : services) anyDown |= s.path("status").asText().equals("down");
            if (json) Cli.printJson(out);
            else printTable(out);
            return anyDown ? Main.FAILED : Main.OK;
        });
    }

    /** The query string of the filters, starting with "?" so the cursor can always be appended with "&". */
    private String filters() {
        StringBuilder q = new StringBuilder("?limit=" + limit);
        if (status != null) q.append("&status=").append(Cli.query(status));
        for (String l : labels) q.append("&label=").append(Cli.query(l));
        if (search != null) q.append("&q=").append(Cli.query(search));
        return q.toString();
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
        int more = body.path("total").asInt() - body.path("services").size();
        if (more > 0) System.out.println("… " + more + " more service(s); --all lists every one");
    }

    /** At most 100 characters, the last one an ellipsis when the message was longer. */
    private static String shortened(String message) {
        return message.length() > 100 ? message.substring(0, 99) + "…" : message;
    }
}
