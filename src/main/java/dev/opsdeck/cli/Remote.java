package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The options of every command that talks to a running server. */
final class Remote {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Server URL (default $OPSDECK_URL or http://127.0.0.1:8080).")
    String server;

    @Option(names = "--token", paramLabel = "KEY", description = "API key (default $OPSDECK_TOKEN).")
    String token;

    ApiClient client() {
        return new ApiClient(server, token);
    }

    /** GETs {@code path} and prints the answer (see {@link Cli#print}); the exit code as {@link Cli#run} gives it. */
    int show(String path, boolean json, Cli.View text) throws Exception {
        return Cli.run(() -> Cli.print(client().get(path), json, text));
    }

    /** Sends a change and prints the answer (see {@link Cli#print}); the exit code as {@link Cli#run} gives it. */
    int change(String method, String path, Object body, boolean json, Cli.View text) throws Exception {
        return Cli.run(() -> Cli.print(client().send(method, path, body), json, text));
    }

    /**
     * GETs the list at {@code path} and prints its entries under {@code key}, without those in state {@code ended}
     * unless {@code all}: in the API's shape with {@code --json}, else as a table under {@code header}, a row each.
     */
    int listCurrent(
            String path,
            String key,
            String ended,
            boolean all,
            boolean json,
            String[] header,
            Function<JsonNode, String[]> row)
            throws Exception {
        return Cli.run(() -> {
            List<JsonNode> shown = Cli.current(client().get(path), key, ended, all);
            if (json) {
                Cli.printJsonList(key, shown);
                return;
            }
            Cli.printTable(header, Json.MAPPER.valueToTree(shown), row);
        });
    }
}
