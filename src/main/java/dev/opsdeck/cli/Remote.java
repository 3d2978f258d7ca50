package dev.opsdeck.cli;

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
}
