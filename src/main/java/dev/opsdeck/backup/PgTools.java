package dev.opsdeck.backup;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the PostgreSQL client programs and checks, before any work, that they can do it: {@code pg_dump} must
 * exist and be at least as new as the server (an older one refuses, or worse, writes a dump that will not
 * restore). Every refusal says what was found and how to fix it.
 */
public final class PgTools {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

    /** A version as the tools print it ("16.4"); major is what must match. */
    public record Version(int major, String text) {}

    private final Path binDir;
    private final String configKey;

    /** {@code binDir} null: search {@code PATH}. {@code configKey} names the setting in messages. */
    public PgTools(Path binDir, String configKey) {
        this.binDir = binDir;
        this.configKey = configKey;
    }

    /** The program's path, or a failure that says where it was looked for. */
    public Path find(String program) {
        if (binDir != null) {
            Path p = binDir.resolve(program);
            if (Files.isExecutable(p)) return p;
            throw new BackupFailure(
                    program + " not found in " + binDir + " (" + configKey + ")",
                    "install the PostgreSQL client programs there, or correct " + configKey);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        throw new BackupFailure(
                program + " not found on PATH (" + path + ")",
                "install the PostgreSQL client programs of the server's major version (Debian/Ubuntu: apt-get install "
                        + "postgresql-client), or set " + configKey + " to the directory that holds " + program);
    }

    /** {@code tar}, which packs a directory-format dump into one file (and unpacks it for pg_restore). */
    String findTar() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tar")))
                return Path.of(dir, "tar").toString();
        }
        throw new BackupFailure("tar not found on PATH", "install tar (directory-format backups are packed with it)");
    }

    /** Runs {@code program --version}. */
    public Version version(String program) {
        Path exe = find(program);
        try {
            Process p = new ProcessBuilder(exe.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw new BackupFailure(
                        exe + " --version printed \"" + out + "\", not a PostgreSQL version",
                        "point " + configKey + " at a real PostgreSQL client installation");
            }
            return new Version(Integer.parseInt(m.group(1)), m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
        } catch (IOException e) {
            throw new BackupFailure("cannot run " + exe + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure("interrupted while running " + exe, null, e);
        }
    }

    /** Connects to the database (clear messages for refused connections and bad credentials) and asks its version. */
    public static Version serverVersion(PgTarget target) {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            int num = rs.getInt(1);
            String text = rs.getString(2).split(" ")[0];
            return new Version(num / 10000, text);
        } catch (SQLException e) {
            throw connectFailure(target, e);
        }
    }

    /** Refuses when the dump program is older than the server: pg_dump cannot read a newer server's catalog. */
    public Version checkDumpCanRead(Version server) {
        Version dump = version("pg_dump");
        if (dump.major() < server.major()) {
            throw new BackupFailure(
                    "pg_dump " + dump.text() + " is older than the server (PostgreSQL " + server.text()
                            + "); pg_dump must be the server's major version or newer",
                    "install the PostgreSQL " + server.major() + " client programs (Debian/Ubuntu: apt-get install "
                            + "postgresql-client-" + server.major() + ") and set " + configKey
                            + " to their directory, e.g. "
                            + "/usr/lib/postgresql/" + server.major() + "/bin");
        }
        return dump;
    }

    /** A connection failure in words an operator acts on; the URL is shown without its password. */
    static BackupFailure connectFailure(PgTarget target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = e.getMessage() == null ? e.toString() : e.getMessage();
        if (state.equals("28P01") || state.equals("28000")) {
            return new BackupFailure(
                    "authentication failed for user \"" + target.user() + "\" at " + target.where() + ": " + detail,
                    "check the user and password in the target's url (and pg_hba.conf on the server)",
                    e);
        }
        if (state.startsWith("08")) {
            return new BackupFailure(
                    "cannot connect to " + target.where() + ": " + detail,
                    "check that PostgreSQL is running and reachable from this host (host, port, firewall)",
                    e);
        }
        if (state.equals("3D000")) {
            return new BackupFailure(
                    "database \"" + target.database() + "\" does not exist at " + target.where(),
                    "check the database name in the target's url",
                    e);
        }
        return new BackupFailure("PostgreSQL at " + target.where() + " refused: " + detail, null, e);
    }
}
