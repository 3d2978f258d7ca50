// The server of the benches that call Opsdeck's API: starts it from the built jar in its own JVM, with the
// launcher's JVM options, through bench/PagingServer.java (an in-process start that writes an admin API key to a
// file; the launcher's bootstrap path would need a browser sign-in), and bench/Target.java, the health endpoint their
// http checks probe. Used by CertificateBench, ChecklistBench and BackupBench (source launcher, same directory).
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

public class BenchServer {
    final Process process;
    final String key;
    final int port;

    private BenchServer(Process process, String key, int port) {
        this.process = process;
        this.key = key;
        this.port = port;
    }

    /** Opsdeck on {@code config} (which listens on {@code port}), its log in work/server.log, its pid in work/server.pid. */
    static BenchServer start(Path work, Path config, int port) throws Exception {
        Path keyFile = work.resolve("key");
        Process server = new ProcessBuilder(
                        java(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-XX:+UseSerialGC",
                        "-XX:MaxRAMPercentage=25",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "bench/PagingServer.java",
                        config.toString(),
                        keyFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile())
                .start();
        Files.writeString(work.resolve("server.pid"), Long.toString(server.pid()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        long deadline = System.currentTimeMillis() + 180_000;
        while (!Files.exists(keyFile)) {
            if (!server.isAlive() || System.currentTimeMillis() > deadline)
                throw new IllegalStateException("no server; see " + work.resolve("server.log"));
            Thread.sleep(50);
        }
        BenchServer s = new BenchServer(server, Files.readString(keyFile).trim(), port);
        MonitorBench.waitFor(s.url() + "/ready", Duration.ofSeconds(180));
        return s;
    }

    /** bench/Target.java on a free port, its log in work/target.log; the port once it answers. */
    static int startTarget(Path work) throws Exception {
        int port = MonitorBench.freePort();
        Process target = new ProcessBuilder(java(), "bench/Target.java", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("target.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(target::destroy));
        MonitorBench.waitFor("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(60));
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    void stop() {
        process.destroy();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
