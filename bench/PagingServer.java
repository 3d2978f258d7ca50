// Server process for bench/PagingBench.java: starts Opsdeck in-process from the built jar on the given config,
// creates an admin API key and writes it to args[1] (the bench needs one to read check history; the launcher's
// bootstrap path would need a browser sign-in), then runs until killed.
//   (compiled by bench/paging-bench.sh into target/bench-classes; run with the launcher's JVM options)
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.OpsdeckServer;
import java.nio.file.Files;
import java.nio.file.Path;

public class PagingServer {
    public static void main(String[] args) throws Exception {
        OpsdeckServer server = OpsdeckServer.start(Path.of(args[0]), OpsdeckServer.Options.defaults());
        String key = server.access()
                .apiKeys()
                .create("bench", "admin", Role.ADMIN, false, null)
                .secret();
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, key);
        Files.move(tmp, Path.of(args[1]));
        Thread.currentThread().join();
    }
}
