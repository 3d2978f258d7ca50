package dev.opsdeck.server;

import java.nio.file.Path;
import java.util.Map;

/** Child process of {@link RunbookKillNineTest}: a server that starts one run, prints its id, and waits to be killed. */
public final class RunbookKillChild {
    public static void main(String[] args) throws Exception {
        OpsdeckServer server = OpsdeckServer.start(Path.of(args[0]), new OpsdeckServer.Options(0, 1000));
        var run = server.runbooks().start("restore", Map.of("token", "s3cret-token"), "alice", null);
        System.out.println("run " + run.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
