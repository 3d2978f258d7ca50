package dev.opsdeck.cli;

import dev.opsdeck.server.TestServer;
import java.nio.file.Path;

/**
 * {@code opsdeck serve} in its own process, shutdown hook included, for tests that stop it with a signal: prints
 * {@code url URL} and {@code token TOKEN} (an admin API key) once it serves.
 */
public final class ServeChild {
    public static void main(String[] args) throws Exception {
        ServeCommand.run(Path.of(args[0]), 0, server -> {
            System.out.println("url " + server.url());
            System.out.println("token " + TestServer.adminKey(server));
            System.out.flush();
        });
    }
}
