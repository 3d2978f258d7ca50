package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What the commands that talk to a server share: error handling, tables, JSON. */
final class Cli {
    private Cli() {}

    interface Action {
        void run() throws Exception;
    }

    /** Prints an answer of the server for people to read. */
    interface View {
        void print(JsonNode answer) throws Exception;
    }

    /** An action whose exit code depends on the answer: a backup that failed to verify, a run that failed. */
    interface Verdict {
        int exitCode() throws Exception;
    }

    /** Runs {@code action}; a server-side or connection failure becomes its message on stderr and its exit code. */
    static int run(Action action) throws Exception {
        return judge(() -> {
            action.run();
            return Main.OK;
        });
    }

    /** Like {@link #run}, with the exit code the action decides on when nothing failed on the way. */
    static int judge(Verdict action) throws Exception {
        return judge(Main.FAILED, action);
    }

    /** Like {@link #judge(Verdict)}, with {@code refused} as the exit code when the server answered with an error. */
    static int judge(int refused, Verdict action) throws Exception {
        try {
            return action.exitCode();
        } catch (ApiClient.ClientException e) {
            System.err.println("opsdeck: " + e.getMessage());
            return e.exitCode == Main.FAILED ? refused : e.exitCode;
        }
    }

    /** The answer as JSON with {@code --json}, otherwise as {@code text} puts it. */
    static void print(JsonNode answer, boolean json, View text) throws Exception {
        if (json) printJson(answer);
        else text.print(answer);
    }

    static void printJson(Object value) throws Exception {
        System.out.println(Json.pretty(value));
    }

    /** {@code {"key": [...items]}}, the shape of the API's lists, for a list the command filtered. */
    static void printJsonList(String key, List<JsonNode> items) throws Exception {
        printJson(Json.MAPPER.createObjectNode().set(key, Json.MAPPER.valueToTree(items)));
    }

    /** The entries under {@code key} of a list answer, without those in state {@code ended} unless {@code all}. */
    static List<JsonNode> current(JsonNode body, String key, String ended, boolean all) {
        List<JsonNode> shown = new ArrayList<>();
        body.path(key).forEach(e -> {
            if (all || !e.path("state").asText().equals(ended)) shown.add(e);
        });
        return shown;
    }

    /** The elements of a JSON array as text, joined with {@code separator}. */
    static String join(JsonNode array, String separator) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(separator, out);
    }

    /** A table of a JSON array: {@code header}, then the row each element gives (see {@link #printTable(List)}). */
    static void printTable(String[] header, JsonNode items, Function<JsonNode, String[]> row) {
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        items.forEach(e -> rows.add(row.apply(e)));
        printTable(rows);
    }

    /** Columns padded to their widest cell plus two spaces; each line without trailing blanks. */
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
