package dev.opsdeck.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster (initdb + pg_ctl) on a free port in its own temp directory, for tests
 * that stop the database under a running writer or server. initdb refuses to run as root, so as root
 * the cluster belongs to the {@code postgres} user.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dir;
    private final int port;

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(BIN.resolve("initdb"));
    }

    public static PrivatePostgres start() throws IOException, InterruptedException {
        return start(null);
    }

    /** With {@code password} set, user postgres has it and every connection must give it (scram-sha-256). */
    public static PrivatePostgres start(String password) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("opsdeck-pg-");
        if (ROOT) {
            UserPrincipal postgres =
                    dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrivatePostgres pg = new PrivatePostgres(dir, port);
        List<String> initdb = new ArrayList<>(List.of(
                BIN.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8"));
        if (password == null) {
            initdb.addAll(List.of("-A", "trust"));
        } else {
            Path pwfile = Files.writeString(dir.resolve("pwfile"), password + "\n");
            initdb.addAll(List.of("-A", "scram-sha-256", "--pwfile=" + pwfile));
        }
        pg.run(initdb.toArray(String[]::new));
        pg.startServer();
        return pg;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    public void startServer() throws IOException, InterruptedException {
        run(startCommand().subList(ROOT ? 4 : 0, startCommand().size()).toArray(String[]::new));
    }

    /** The command that starts this server (as the postgres user when the tests run as root): for a runbook to run. */
    public List<String> startCommand() {
        List<String> argv = new ArrayList<>();
        if (ROOT) argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        argv.addAll(List.of(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-t",
                "30",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
        return argv;
    }

    public void stopServer() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) stopServer();
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (ROOT) argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .directory(dir.toFile())
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + output);
        }
    }
}
