package dev.opsdeck.server;

import java.nio.file.Path;

/**
 * A server in its own process, for tests that need its environment (PATH, variables) to differ from the test's:
 * prints {@code url URL} and {@code token TOKEN} (an admin API key), then serves until it is killed.
 */
public final class ServerChild {
    public static void main(String[] args) throws Exception {
        OpsdeckServer server = OpsdeckServer.start(Path.of(args[0]), new OpsdeckServer.Options(0, 1000));
        System.out.println("url " + server.url());
        System.out.println("token " + TestServer.adminKey(server));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
