package dev.opsdeck.backup;

import dev.opsdeck.config.DrillDef;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL started for one drill from the local server binaries: {@code initdb} into a new private directory,
 * {@code pg_ctl start} on a free port on 127.0.0.1, a random password (scram-sha-256) so no other local user can
 * connect, and on {@link #close()} an immediate stop and the directory deleted. initdb refuses to run as root, so
 * when Opsdeck runs as root the instance runs as the {@code postgres} system user.
 */
final class PrivateInstance implements ScratchDatabase {
    static final String PREFIX = "private:";
    static final Path PACKAGED = Path.of("/usr/lib/postgresql");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private final Path dir;
    private final Path bin;
    private final PgTarget target;

    private PrivateInstance(Path dir, Path bin, PgTarget target) {
        this.dir = dir;
        this.bin = bin;
        this.target = target;
    }

    /** Creates and starts the instance; on any failure what was made is removed before the failure is thrown. */
    static PrivateInstance start(DrillDef def, long runId) {
        String key = "drills." + def.name() + ".scratch.pg_bin";
        Path bin = def.scratch().pgBin() != null ? def.scratch().pgBin() : detect(key);
        PgTools tools = new PgTools(bin, key);
        Path initdb = tools.find("initdb");
        Path pgCtl = tools.find("pg_ctl");
        Path base = def.scratch().dir() != null ? def.scratch().dir() : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir;
        try {
            Files.createDirectories(base);
            dir = Files.createTempDirectory(
                    base,
                    "opsdeck-drill-" + runId + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new BackupFailure(
                    "cannot create a directory for the private PostgreSQL in " + base + ": " + Backups.message(e),
                    "set drills." + def.name() + ".scratch.dir to a writable directory",
                    e);
        }
        try {
            if (ROOT)
                Files.setOwner(
                        dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
            String password = HexFormat.of().formatHex(random(24));
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (ROOT) Files.setOwner(pwfile, Files.getOwner(dir));
            try {
                run(
                        dir,
                        300,
                        initdb.toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "postgres",
                        "-E",
                        "UTF8",
                        "-A",
                        "scram-sha-256",
                        "--pwfile=" + pwfile);
            } finally {
                Cleanup.deleteQuietly(pwfile);
            }
            int port = freePort();
            // settings go into the file, not pg_ctl -o, which hands its text to a shell
            Files.writeString(
                    dir.resolve("data/postgresql.conf"),
                    "\n# a restore drill's private instance\nport = " + port
                            + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
                            + dir.toString().replace("'", "''")
                            + "'\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            run(
                    dir,
                    120,
                    pgCtl.toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-l",
                    dir.resolve("log").toString(),
                    "-w",
                    "-t",
                    "90",
                    "start");
            PgTarget target = new PgTarget(
                    "127.0.0.1",
                    port,
                    "opsdeck_drill",
                    "postgres",
                    password,
                    null,
                    "postgresql://postgres:***@127.0.0.1:" + port + "/opsdeck_drill");
            return new PrivateInstance(dir, bin, target);
        } catch (IOException | RuntimeException e) {
            String left = remove(dir);
            String why = e instanceof BackupFailure f
                    ? f.getMessage()
                    : Backups.message(e instanceof IOException io ? io : new IOException(e.toString()));
            throw new BackupFailure(
                    "cannot start a private PostgreSQL from " + bin + ": " + why + " (" + left + ")",
                    "check that " + bin + " holds a PostgreSQL server installation, or set drills." + def.name()
                            + ".scratch.pg_bin",
                    e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} that holds {@code initdb} (Debian's and Ubuntu's layout). */
    static Path detect(String key) {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(PACKAGED)) {
            try (Stream<Path> versions = Files.list(PACKAGED)) {
                versions.filter(v -> v.getFileName().toString().matches("[0-9]+"))
                        .map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .forEach(found::add);
            } catch (IOException ignored) {
                // reported below as nothing found
            }
        }
        return found.stream()
                .max(Comparator.comparingInt(
                        b -> Integer.parseInt(b.getParent().getFileName().toString())))
                .orElseThrow(() -> new BackupFailure(
                        "no PostgreSQL server binaries (initdb) found under " + PACKAGED
                                + "/*/bin for the drill's private instance (" + key + ")",
                        "install the PostgreSQL server package (Debian/Ubuntu: apt-get install postgresql), or set "
                                + key + " to the directory that holds initdb and pg_ctl"));
    }

    @Override
    public PgTarget target() {
        return target;
    }

    @Override
    public String describe() {
        return PREFIX + dir;
    }

    @Override
    public void close() {
        String outcome = stop(dir, bin);
        Cleanup.deleteTreeQuietly(dir);
        if (Files.exists(dir)) {
            throw new BackupFailure(
                    "the private PostgreSQL in " + dir + " was not removed (" + outcome + ")",
                    "stop it (pg_ctl -D " + dir.resolve("data") + " stop) and delete the directory");
        }
    }

    /** Stops whatever runs in {@code dir} and deletes it; says what was done. */
    static String remove(Path dir) {
        if (!Files.exists(dir)) return "its directory " + dir + " is gone";
        String outcome = stop(dir, null);
        Cleanup.deleteTreeQuietly(dir);
        return Files.exists(dir)
                ? "its directory " + dir + " could not be removed (" + outcome + ")"
                : "private instance " + dir + " removed";
    }

    /**
     * An immediate stop (the data is thrown away next); when pg_ctl cannot do it, the postmaster is killed by the
     * pid in its pid file.
     */
    private static String stop(Path dir, Path bin) {
        Path pidFile = dir.resolve("data/postmaster.pid");
        if (!Files.exists(pidFile)) return "not running";
        if (bin != null) {
            try {
                run(
                        dir,
                        60,
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "stop");
                return "stopped";
            } catch (IOException | RuntimeException e) {
                // fall through to the pid
            }
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            var handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) return "not running";
            handle.get().destroyForcibly();
            handle.get().onExit().get(30, TimeUnit.SECONDS);
            return "killed";
        } catch (Exception e) {
            return "could not stop it: " + e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a server program (as postgres when we are root); its output ends up in the failure. */
    private static void run(Path dir, int seconds, String... command) throws IOException {
        List<String> argv = new ArrayList<>();
        if (ROOT) argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        Process p = pb.start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(Path.of(command[0]).getFileName() + " did not finish within " + seconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(Path.of(command[0]).getFileName() + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8).strip();
            String[] lines = text.split("\n");
            throw new IOException(Path.of(command[0]).getFileName() + " exited with " + p.exitValue() + ": "
                    + String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length)));
        }
    }
}
