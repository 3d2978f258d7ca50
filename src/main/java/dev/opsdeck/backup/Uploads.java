package dev.opsdeck.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a finished dump to each destination and re-reads every copy to compare its SHA-256 with the one
 * computed while dumping. A copy that fails (S3 down, a checksum that does not match) is retried a few times
 * with a growing pause, then left {@code pending} for the housekeeping retry ({@link #retry}); the local file
 * stays until every copy is verified. After {@link #MAX_ATTEMPTS} the copy is given up as failed.
 */
final class Uploads {
    static final int FIRST_ATTEMPTS = 3, MAX_ATTEMPTS = 12;
    private final BackupStore store;
    private final Clock clock;
    private final long baseMs;

    Uploads(BackupStore store, Clock clock, long baseMs) {
        this.store = store;
        this.clock = clock;
        this.baseMs = baseMs;
    }

    void first(Backup b, List<Destination> destinations, Path file, byte[] manifest) {
        try {
            for (Destination d : destinations) {
                Backup.Copy copy =
                        new Backup.Copy(d.name(), d.location(b.fileName()), Backup.Copy.PENDING, 0, null, null, null);
                for (int attempt = 1; attempt <= FIRST_ATTEMPTS; attempt++) {
                    copy = attempt(d, b, file, manifest, copy);
                    if (copy.status().equals(Backup.VERIFIED)) break;
                    if (attempt < FIRST_ATTEMPTS) sleep(baseMs << (2 * (attempt - 1)));
                }
                store.copy(b.id(), copy);
            }
            settle(destinations, store.get(b.id()), file);
        } finally {
            Backups.closeAll(destinations);
        }
    }

    void retry(Backup b, List<Destination> destinations, Path spool) {
        try {
            Path file = spool.resolve(b.fileName());
            byte[] manifest = b.manifest() == null ? new byte[0] : b.manifest().getBytes(StandardCharsets.UTF_8);
            for (Backup.Copy copy : b.copies()) {
                if (!copy.status().equals(Backup.Copy.PENDING)
                        || copy.nextAttemptMs() != null && copy.nextAttemptMs() > clock.millis()) {
                    continue;
                }
                Destination d = destinations.stream()
                        .filter(x -> x.name().equals(copy.destination()))
                        .findFirst()
                        .orElse(null);
                if (d == null || !Files.isRegularFile(file)) {
                    store.copy(
                            b.id(),
                            new Backup.Copy(
                                    copy.destination(),
                                    copy.location(),
                                    Backup.FAILED,
                                    copy.attempts(),
                                    null,
                                    null,
                                    d == null
                                            ? "destination removed from the config"
                                            : "the local file " + file + " is gone, nothing left to upload"));
                    continue;
                }
                store.copy(b.id(), attempt(d, b, file, manifest, copy));
            }
            settle(destinations, store.get(b.id()), file);
        } finally {
            Backups.closeAll(destinations);
        }
    }

    /** One upload and re-read; returns the copy's new state. */
    private Backup.Copy attempt(Destination d, Backup b, Path file, byte[] manifest, Backup.Copy copy) {
        int attempts = copy.attempts() + 1;
        try {
            String location = d.put(file, manifest);
            String read;
            try (InputStream in = d.open(b.fileName())) {
                read = Hashing.of(in);
            }
            if (!read.equals(b.sha256())) {
                throw new IOException("checksum mismatch after copying to " + location + ": expected sha256 "
                        + b.sha256() + ", read back " + read);
            }
            return new Backup.Copy(d.name(), location, Backup.VERIFIED, attempts, null, clock.millis(), null);
        } catch (IOException | RuntimeException e) {
            String error = "attempt " + attempts + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
            if (attempts >= MAX_ATTEMPTS) {
                return new Backup.Copy(
                        d.name(), copy.location(), Backup.FAILED, attempts, null, null, error + "; gave up");
            }
            long delay = Math.min(3_600_000L, baseMs << Math.min(20, 2 * attempts));
            return new Backup.Copy(
                    d.name(), copy.location(), Backup.Copy.PENDING, attempts, clock.millis() + delay, null, error);
        }
    }

    /**
     * The backup's status from its copies. {@code file}, when given, is the spooled dump: it goes once every copy is
     * verified, unless the spool is itself a destination.
     */
    void settle(List<Destination> destinations, Backup b, Path file) {
        List<String> errors = new ArrayList<>();
        boolean allVerified = true, anyVerified = false, anyPending = false;
        for (Backup.Copy c : b.copies()) {
            if (c.status().equals(Backup.Copy.DELETED)) continue;
            boolean ok = c.status().equals(Backup.VERIFIED);
            allVerified &= ok;
            anyVerified |= ok;
            anyPending |= c.status().equals(Backup.Copy.PENDING);
            if (!ok && c.error() != null) errors.add(c.destination() + ": " + c.error());
        }
        String status = allVerified ? Backup.VERIFIED : anyVerified || anyPending ? Backup.INCOMPLETE : Backup.FAILED;
        store.status(
                b.id(),
                status,
                allVerified ? clock.millis() : null,
                errors.isEmpty() ? null : String.join("; ", errors),
                clock.millis());
        if (file == null) return;
        boolean spoolIsDestination = destinations.stream()
                .anyMatch(d ->
                        d instanceof LocalDestination local && file.getParent().equals(local.dir()));
        if (allVerified && !spoolIsDestination) Cleanup.deleteQuietly(file);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure("interrupted while waiting to retry an upload", null, e);
        }
    }
}
