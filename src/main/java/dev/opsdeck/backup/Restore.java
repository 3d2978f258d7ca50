package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a verified backup into a database given by URL. A database that does not exist is created. One that
 * exists is refused unless the caller confirmed: then it is dropped and created again, so the result is exactly
 * the backup (never a mix of old and restored rows). The file is checked against its manifest's SHA-256 first.
 *
 * <p>The file is read from one verified copy: the one named by {@code from}, or else the first that can be read
 * and matches its checksum, local destinations first (no download), then the others, each in the order the target
 * lists them. A copy that is gone, unreadable or damaged is skipped with its reason; the database is touched only
 * once a good copy is in hand.
 */
public final class Restore {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}");

    private static final Logger LOG = LoggerFactory.getLogger(Restore.class);

    /**
     * What was restored, where, and how long it took; {@code from} is the destination whose copy was read, and
     * {@code skipped} the copies tried before it, each as "destination: reason".
     */
    public record Result(
            long backupId,
            String file,
            String into,
            boolean replaced,
            long durationMs,
            long bytesRead,
            String from,
            List<String> skipped) {}

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
    private String from;

    /**
     * Reads only the copy in destination {@code name} (null: any verified copy, in the order above). Refused when the
     * target has no such destination or the backup has no verified copy there.
     */
    Restore from(String name) {
        if (name == null) return this;
        requireRestorable();
        if (destinations.stream().noneMatch(d -> d.name().equals(name))) {
            throw new BackupFailure(
                    "backup target " + def.name() + " has no destination '" + name + "'",
                    "choose one of: "
                            + String.join(
                                    ", ",
                                    destinations.stream().map(Destination::name).toList()));
        }
        Backup.Copy copy = backup.copy(name);
        if (copy == null || !copy.status().equals(Backup.VERIFIED)) {
            throw new BackupFailure(
                    "backup " + backup.id() + " has no verified copy in " + name
                            + (copy == null ? "" : " (its copy there is " + copy.status() + ")"),
                    ordered().isEmpty()
                            ? "verify the backup: opsdeck backup verify " + def.name() + " " + backup.id()
                            : "restore from a verified copy: "
                                    + String.join(
                                            ", ",
                                            ordered().stream()
                                                    .map(Backup.Copy::destination)
                                                    .toList()));
        }
        this.from = name;
        return this;
    }

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
            throw new BackupFailure(
                    "database name \"" + into.database() + "\" is not supported for a restore",
                    "use letters, digits, '_', '$' or '-'");
        }
        exists = exists(into);
        if (exists && !confirm) {
            throw new BackupFailure(
                    "database \"" + into.database() + "\" already exists at " + into.host() + ":" + into.port()
                            + "; restoring would replace everything in it",
                    "confirm to drop and recreate it (CLI --confirm, API \"confirm\": true), or restore into a new database name");
        }
        return this;
    }

    private void requireRestorable() {
        if (!backup.restorable()) {
            throw new BackupFailure(
                    "backup " + backup.id() + " is " + backup.status() + ", not verified: it cannot be restored",
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
        List<String> skipped = new ArrayList<>();
        try {
            List<Backup.Copy> copies = from == null ? ordered() : List.of(backup.copy(from));
            if (copies.isEmpty())
                throw new BackupFailure(
                        "backup " + backup.id() + " has no verified copy; nothing was " + "restored",
                        "verify it (opsdeck backup verify " + def.name() + " " + backup.id()
                                + ") or restore another backup (opsdeck backup list " + def.name() + ")");
            for (Backup.Copy copy : copies) {
                Destination d = destination(copy.destination());
                Path file = null;
                boolean temporary = !(d instanceof LocalDestination);
                try {
                    file = fetch(d, copy);
                } catch (Unusable e) {
                    if (temporary) Cleanup.deleteQuietly(e.file);
                    LOG.warn(
                            "event=restore_copy_skipped backup={} destination={} reason=\"{}\"",
                            backup.id(),
                            copy.destination(),
                            e.getMessage());
                    skipped.add(copy.destination() + ": " + e.getMessage());
                    continue;
                }
                try {
                    recreate(into, exists);
                    new Archives(tools).restore(def.format(), def.compression(), def.jobs(), file, into, read);
                    return new Result(
                            backup.id(),
                            backup.fileName(),
                            into.where(),
                            exists,
                            System.currentTimeMillis() - started,
                            read.get(),
                            copy.destination(),
                            List.copyOf(skipped));
                } finally {
                    if (temporary) Cleanup.deleteQuietly(file);
                }
            }
            throw new BackupFailure(
                    (copies.size() == 1
                                    ? "the copy of backup " + backup.id() + " in "
                                            + copies.getFirst().destination() + " is not usable"
                                    : "no copy of backup " + backup.id() + " is usable")
                            + "; nothing was restored: " + String.join("; ", skipped),
                    "check the copies (opsdeck backup verify " + def.name() + " " + backup.id()
                            + ") and restore another backup (opsdeck backup list " + def.name() + ")");
        } finally {
            Backups.closeAll(destinations);
        }
    }

    /**
     * The backup's verified copies in the order a restore tries them: local destinations first (no download), then
     * the others, each in the order the target lists them. Copies in destinations no longer configured are left out.
     */
    List<Backup.Copy> ordered() {
        List<Backup.Copy> out = new ArrayList<>();
        for (boolean local : new boolean[] {true, false}) {
            for (Destination d : destinations) {
                Backup.Copy c = backup.copy(d.name());
                if (d instanceof LocalDestination == local
                        && c != null
                        && c.status().equals(Backup.VERIFIED)) out.add(c);
            }
        }
        return out;
    }

    /** The file of one copy, on this host and matching its checksum; a temporary file for a remote copy. */
    private Path fetch(Destination d, Backup.Copy copy) throws Unusable {
        Path file = null;
        try {
            if (d instanceof LocalDestination local) {
                file = local.dir().resolve(backup.fileName());
            } else {
                file = Files.createTempFile("opsdeck-restore-", Dumper.extension(def));
                try (InputStream in = d.open(backup.fileName())) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            String sha;
            try (InputStream in = Files.newInputStream(file)) {
                sha = Hashing.of(in);
            }
            if (!sha.equals(backup.sha256())) {
                throw new Unusable(
                        "checksum mismatch in " + copy.location() + ": expected sha256 " + backup.sha256() + ", read "
                                + sha,
                        file);
            }
            return file;
        } catch (IOException e) {
            // the messages of a remote destination name the location already; a file system error names only its reason
            String why = d instanceof LocalDestination
                    ? "cannot read " + copy.location() + ": " + Backups.message(e)
                    : e instanceof FileSystemException f
                            ? "cannot download " + copy.location() + " to " + f.getFile() + ": " + Backups.message(e)
                            : Backups.message(e);
            throw new Unusable(why, file);
        }
    }

    /** A copy that cannot be restored from, and why; {@code file} is what was written of it, if anything. */
    private static final class Unusable extends Exception {
        final transient Path file;

        Unusable(String message, Path file) {
            super(message);
            this.file = file;
        }
    }

    private Destination destination(String name) {
        return destinations.stream()
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new BackupFailure("destination " + name + " is no longer configured", null));
    }

    private static boolean exists(PgTarget into) {
        try (Connection c = DriverManager.getConnection(
                        into.withDatabase("postgres").jdbcUrl(), into.jdbcProperties());
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
        try (Connection c = DriverManager.getConnection(
                        into.withDatabase("postgres").jdbcUrl(), into.jdbcProperties());
                Statement s = c.createStatement()) {
            if (exists) s.execute("DROP DATABASE " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new BackupFailure(
                    "cannot " + (exists ? "recreate" : "create") + " database " + name + " at " + into.host() + ":"
                            + into.port() + ": " + e.getMessage(),
                    null,
                    e);
        }
    }
}
