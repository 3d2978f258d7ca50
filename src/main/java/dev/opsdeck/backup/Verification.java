package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;

/**
 * A later check of a stored backup: every copy is read back in full and its SHA-256 compared with the
 * manifest's; the archive itself is tested once (from a local copy, or downloaded when there is none).
 */
final class Verification {
    private final BackupDef def;
    private final BackupStore store;
    private final List<Destination> destinations;
    private final PgTools tools;
    private final Clock clock;

    Verification(BackupDef def, BackupStore store, List<Destination> destinations, PgTools tools, Clock clock) {
        this.def = def;
        this.store = store;
        this.destinations = destinations;
        this.tools = tools;
        this.clock = clock;
    }

    void verifyAll(Backup b) {
        if (b.sha256() == null)
            throw new BackupFailure(
                    "backup " + b.id() + " has no file to verify (status " + b.status()
                            + (b.error() == null ? "" : ": " + b.error()) + ")",
                    null);
        try {
            boolean tested = false;
            for (Backup.Copy copy : b.copies()) {
                if (!copy.status().equals(Backup.VERIFIED) && !copy.status().equals(Backup.FAILED)) continue;
                Destination d = destinations.stream()
                        .filter(x -> x.name().equals(copy.destination()))
                        .findFirst()
                        .orElse(null);
                if (d == null) continue;
                String error = null;
                try (InputStream in = d.open(b.fileName())) {
                    String read = Hashing.of(in);
                    if (!read.equals(b.sha256())) {
                        error = "checksum mismatch in " + copy.location() + ": expected sha256 " + b.sha256()
                                + ", read " + read;
                    }
                } catch (IOException e) {
                    error = "cannot read " + copy.location() + ": " + Backups.message(e);
                }
                if (error == null && !tested) {
                    try {
                        testArchive(d, b);
                        tested = true;
                    } catch (BackupFailure e) {
                        error = e.getMessage();
                    }
                }
                store.copy(
                        b.id(),
                        new Backup.Copy(
                                copy.destination(),
                                copy.location(),
                                error == null ? Backup.VERIFIED : Backup.FAILED,
                                copy.attempts(),
                                null,
                                error == null ? clock.millis() : copy.verifiedMs(),
                                error));
            }
            new Uploads(store, clock, 0).settle(destinations, store.get(b.id()), null);
        } finally {
            Backups.closeAll(destinations);
        }
    }

    private void testArchive(Destination d, Backup b) {
        if (d instanceof LocalDestination local) {
            new Archives(tools)
                    .test(def.format(), def.compression(), local.dir().resolve(b.fileName()));
            return;
        }
        Path dir = destinations.stream()
                .filter(x -> x instanceof LocalDestination)
                .map(x -> ((LocalDestination) x).dir())
                .findFirst()
                .orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Path temp = dir.resolve("." + b.fileName() + Dumper.PARTIAL);
        try (InputStream in = d.open(b.fileName())) {
            Files.createDirectories(dir);
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            new Archives(tools).test(def.format(), def.compression(), temp);
        } catch (IOException e) {
            throw new BackupFailure(
                    "cannot download " + d.location(b.fileName()) + " to test it: " + Backups.message(e), null, e);
        } finally {
            Cleanup.deleteQuietly(temp);
        }
    }
}
