package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the commands that talk to a server share: error handling, tables, JSON. */
final class Cli {
    private Cli() {}

    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action}; a server-side or connection failure becomes its message on stderr and its exit code. */
    static int run(Action action) throws Exception {
        try {
            action.run();
            return Main.OK;
        } catch (ApiClient.ClientException e) {
            System.err.println("opsdeck: " + e.getMessage());
            return e.exitCode;
        }
    }

    static void printJson(JsonNode node) throws Exception {
        System.out.println(Json.pretty(node));
    }

    static void printTable(List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] r : rows) for (int i = 0; i < columns; i++) widths[i] = Math.max(widths[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) line.append(String.format("%-" + (widths[i] + 2) + "s", r[i]));
            System.out.println(line.toString().stripTrailing());
        }
    }

    static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
