package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Restores a verified backup into a database given by URL. A database that does not exist is created. One that
 * exists is refused unless the caller confirmed: then it is dropped and created again, so the result is exactly
 * the backup (never a mix of old and restored rows). The file is checked against its manifest's SHA-256 first.
 */
public final class Restore {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}");

    /** What was restored, where, and how long it took. */
    public record Result(long backupId, String file, String into, boolean replaced, long durationMs, long bytesRead) {}

    private final BackupDef def;
    private final Backup backup;
    private final List<Destination> destinations;
    private final PgTools tools;

    Restore(BackupDef def, Backup backup, List<Destination> destinations, PgTools tools) {
        this.def = def;
        this.backup = backup;
        this.destinations = destinations;
        this.tools = tools;
    }

    private PgTarget into;
    private boolean exists;

    /** Refuses at once (unverified backup, bad URL, existing database without confirmation); {@link #run} does the work. */
    Restore check(String url, boolean confirm) {
        requireRestorable();
        try {
            return check(PgTarget.parse(url), confirm);
        } catch (IllegalArgumentException e) {
            throw new BackupFailure("restore target URL: " + e.getMessage(), "postgresql://user@host:5432/database");
        }
    }

    /** As {@link #check(String, boolean)}, for a database already parsed (a drill's scratch). */
    Restore check(PgTarget into, boolean confirm) {
        requireRestorable();
        this.into = into;
        if (!SAFE_NAME.matcher(into.database()).matches()) {
            throw new BackupFailure("database name \"" + into.database() + "\" is not supported for a restore",
                    "use letters, digits, '_', '$' or '-'");
        }
        exists = exists(into);
        if (exists && !confirm) {
            throw new BackupFailure("database \"" + into.database() + "\" already exists at " + into.host() + ":"
                    + into.port() + "; restoring would replace everything in it",
                    "confirm to drop and recreate it (CLI --confirm, API \"confirm\": true), or restore into a new database name");
        }
        return this;
    }

    private void requireRestorable() {
        if (!backup.restorable()) {
            throw new BackupFailure("backup " + backup.id() + " is " + backup.status() + ", not verified: it cannot be restored",
                    "choose a verified backup: opsdeck backup list " + def.name());
        }
    }

    /** Where the restore goes, password masked. */
    public String target() {
        return into.display();
    }

    /** Restores into the checked database; {@code read} counts the bytes of the file read so far. */
    public Result run(AtomicLong read) {
        long started = System.currentTimeMillis();
        Path file = null;
        boolean temporary = false;
        try {
            Backup.Copy copy = backup.copies().stream().filter(c -> c.status().equals(Backup.VERIFIED))
                    .sorted((a, b) -> Boolean.compare(isLocal(b), isLocal(a))).findFirst()
                    .orElseThrow(() -> new BackupFailure("backup " + backup.id() + " has no verified copy", null));
            Destination d = destination(copy.destination());
            if (d instanceof LocalDestination local) {
                file = local.dir().resolve(backup.fileName());
            } else {
                file = Files.createTempFile("opsdeck-restore-", Dumper.extension(def));
                temporary = true;
                try (InputStream in = d.open(backup.fileName())) {
                    Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            String sha;
            try (InputStream in = Files.newInputStream(file)) {
                sha = Hashing.of(in);
            }
            if (!sha.equals(backup.sha256())) {
                throw new BackupFailure("checksum mismatch in " + copy.location() + ": expected sha256 " + backup.sha256()
                        + ", read " + sha + "; nothing was restored", "verify the backup (opsdeck backup verify "
                        + backup.id() + ") and restore another one");
            }
            recreate(into, exists);
            new Archives(tools).restore(def.format(), def.compression(), def.jobs(), file, into, read);
            return new Result(backup.id(), backup.fileName(), into.where(), exists, System.currentTimeMillis() - started,
                    read.get());
        } catch (IOException e) {
            throw new BackupFailure("cannot read the backup file: " + Backups.message(e), null, e);
        } finally {
            if (temporary) Files2.deleteQuietly(file);
            Backups.closeAll(destinations);
        }
    }

    private boolean isLocal(Backup.Copy c) {
        return destination(c.destination()) instanceof LocalDestination;
    }

    private Destination destination(String name) {
        return destinations.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new BackupFailure("destination " + name + " is no longer configured", null));
    }

    private static boolean exists(PgTarget into) {
        try (Connection c = DriverManager.getConnection(into.withDatabase("postgres").jdbcUrl(), into.jdbcProperties());
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, into.database());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw PgTools.connectFailure(into.withDatabase("postgres"), e);
        }
    }

    private static void recreate(PgTarget into, boolean exists) {
        String name = "\"" + into.database() + "\""; // checked against SAFE_NAME: no quote can be inside
        try (Connection c = DriverManager.getConnection(into.withDatabase("postgres").jdbcUrl(), into.jdbcProperties());
             Statement s = c.createStatement()) {
            if (exists) s.execute("DROP DATABASE " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new BackupFailure("cannot " + (exists ? "recreate" : "create") + " database " + name + " at "
                    + into.host() + ":" + into.port() + ": " + e.getMessage(), null, e);
        }
    }
}
