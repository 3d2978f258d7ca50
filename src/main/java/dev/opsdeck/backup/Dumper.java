package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code pg_dump} and streams its output into a file: plain SQL compressed here, beside pg_dump, on every
 * core ({@link Codec}: gzip or zstd), custom format as pg_dump compresses it, directory format (parallel jobs)
 * packed into one tar. The bytes are hashed on the way, and a plain dump's archive test runs on them as they are
 * written ({@link ArchiveCheck}). They go to a hidden {@code .<name>.partial} that is fsync'd and renamed only when
 * everything succeeded; on any failure the partial file is removed. The dump never sits whole in memory.
 */
final class Dumper {
    static final String PARTIAL = ".partial";
    private static final int BUFFER = 1 << 20;

    /**
     * The finished file, as hashed while it was written; {@code tested}: its archive test already passed on the bytes
     * written (plain format), so only the other formats still need {@link Archives#test}.
     */
    record Dump(
            Path file, long sizeBytes, String sha256, PgTools.Version server, PgTools.Version pgDump, boolean tested) {}

    private final BackupDef def;
    private final PgTarget target;
    private final PgTools tools;

    Dumper(BackupDef def, PgTarget target, PgTools tools) {
        this.def = def;
        this.target = target;
        this.tools = tools;
    }

    /** The file name a dump started now gets: {@code <target>_<UTC time>.<extension>}. */
    static String extension(BackupDef def) {
        return switch (def.format()) {
            case "plain" -> ".sql" + Codec.of(def.compression()).extension;
            case "custom" -> ".dump";
            default -> ".dir.tar";
        };
    }

    Dump run(Path dir, String fileName, AtomicLong progress) {
        PgTools.Version server = PgTools.serverVersion(target);
        PgTools.Version dump = tools.checkDumpCanRead(server);
        if (!def.format().equals("plain") && def.compression().equals("zstd") && dump.major() < 16) {
            throw new BackupFailure(
                    "zstd inside " + def.format() + "-format archives needs pg_dump 16 or newer; found pg_dump "
                            + dump.text(),
                    "use compression: gzip for backups." + def.name() + ", use format: plain (Opsdeck "
                            + "compresses it with zstd itself), or install pg_dump 16 or newer");
        }
        Path partial = dir.resolve("." + fileName + PARTIAL);
        Path partialDir = dir.resolve("." + fileName + PARTIAL + ".d");
        try {
            Files.createDirectories(dir);
            String sha256;
            boolean plain = def.format().equals("plain");
            if (def.format().equals("directory")) {
                runToCompletion(dumpCommand(partialDir), "pg_dump");
                sha256 = write(
                        new ProcessBuilder(tools.findTar(), "-cf", "-", "-C", partialDir.toString(), "."),
                        "tar",
                        partial,
                        null,
                        progress);
            } else {
                sha256 = write(
                        new ProcessBuilder(dumpCommand(null)),
                        "pg_dump",
                        partial,
                        plain ? Codec.of(def.compression()) : null,
                        progress);
            }
            Path file = dir.resolve(fileName);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
            return new Dump(file, Files.size(file), sha256, server, dump, plain);
        } catch (IOException e) {
            throw new BackupFailure(
                    "writing " + partial + " failed: " + Backups.message(e) + "; the partial file was removed",
                    "free space in " + dir + " or choose another destination path",
                    e);
        } finally {
            Cleanup.deleteQuietly(partial);
            Cleanup.deleteTreeQuietly(partialDir);
        }
    }

    private List<String> dumpCommand(Path directory) {
        List<String> cmd =
                new ArrayList<>(List.of(tools.find("pg_dump").toString(), "--no-password", "--format=" + def.format()));
        if (!def.format().equals("plain")) { // plain SQL is compressed here, on the other cores: see Codec
            cmd.add("--compress="
                    + (def.compression().equals("zstd") ? "zstd:" + def.level() : Integer.toString(def.level())));
        }
        if (directory != null) {
            cmd.add("--jobs=" + def.jobs());
            cmd.add("--file=" + directory);
        }
        return cmd; // the connection, password included, goes through the environment: see PgTarget
    }

    /**
     * Streams a process's stdout into {@code file}, through {@code codec} when given (and then tests the archive on
     * the way: {@link ArchiveCheck}); returns the SHA-256 of the file's bytes.
     */
    private String write(ProcessBuilder pb, String name, Path file, Codec codec, AtomicLong progress)
            throws IOException {
        target.applyTo(pb.environment());
        Process p = pb.start();
        StderrTail stderr = StderrTail.of(p);
        AtomicBoolean timedOut = watchdog(p);
        Hashing hashing;
        ArchiveCheck check = null;
        OutputStream out = null;
        boolean written = false;
        try (FileOutputStream fos = new FileOutputStream(file.toFile());
                InputStream in = p.getInputStream()) {
            if (codec != null) check = new ArchiveCheck(fos, codec);
            hashing = new Hashing(check == null ? fos : check, progress);
            out = codec == null ? hashing : codec.compress(hashing, def.level());
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
            if (codec != null) out.close(); // writes the trailer; the file itself stays open (ArchiveCheck.close)
            else out.flush();
            fos.getChannel().force(true);
            written = true;
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        } finally {
            if (!written) {
                if (out instanceof ParallelGzip gzip) gzip.abort();
                if (check != null) check.abort();
            }
        }
        try {
            finish(p, name, stderr, timedOut);
        } catch (RuntimeException | IOException e) {
            if (check != null) check.abort();
            throw e;
        }
        if (check != null) {
            try {
                check.finish();
            } catch (IOException e) {
                String fileName = file.getFileName().toString();
                throw new BackupFailure(
                        "archive test of " + fileName.substring(1, fileName.length() - PARTIAL.length()) + " failed: "
                                + e.getMessage() + " (" + def.compression() + " stream damaged or truncated)",
                        "take a new backup; the damaged file was removed",
                        e);
            }
        }
        return hashing.hex();
    }

    private void runToCompletion(List<String> command, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        target.applyTo(pb.environment());
        Process p = pb.start();
        finish(p, name, StderrTail.of(p), watchdog(p));
    }

    private void finish(Process p, String name, StderrTail stderr, AtomicBoolean timedOut) throws IOException {
        try {
            if (!p.waitFor(def.timeout().toMillis() + 60_000, TimeUnit.MILLISECONDS)) p.destroyForcibly();
            String err = stderr.text();
            if (timedOut.get()) {
                throw new BackupFailure(
                        name + " ran longer than the timeout (" + def.timeout() + ") and was stopped",
                        "raise backups." + def.name() + ".timeout or find out why the dump is slow");
            }
            if (p.exitValue() != 0) {
                if (err.contains("No space left on device"))
                    throw new IOException("No space left on device (" + name + ")");
                throw new BackupFailure(name + " failed (exit " + p.exitValue() + "): " + err, hint(err));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackupFailure("interrupted while " + name + " ran", null, e);
        }
    }

    private String hint(String stderr) {
        if (stderr.contains("server version mismatch") || stderr.contains("aborting because of server version")) {
            return "install a pg_dump at least as new as the server and set backups." + def.name() + ".pg_bin";
        }
        if (stderr.contains("password authentication failed") || stderr.contains("does not exist")) {
            return "check backups." + def.name() + ".url";
        }
        return null;
    }

    private AtomicBoolean watchdog(Process p) {
        AtomicBoolean fired = new AtomicBoolean();
        Thread.ofVirtual().name("opsdeck-backup-watchdog").start(() -> {
            try {
                if (!p.waitFor(def.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    fired.set(true);
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                // the backup ended first
            }
        });
        return fired;
    }

    static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** A rename is durable only once the directory entry is on disk too. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems refuse to sync a directory; the rename still happened
        }
    }

    /** The last few KB a process wrote to stderr, read on its own thread so a chatty process never blocks. */
    static final class StderrTail {
        private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
        private Thread reader;

        static StderrTail of(Process p) {
            StderrTail t = new StderrTail();
            t.reader = Thread.ofVirtual().name("opsdeck-backup-stderr").start(() -> {
                try (InputStream in = p.getErrorStream()) {
                    byte[] b = new byte[8192];
                    for (int n; (n = in.read(b)) >= 0; ) {
                        synchronized (t.tail) {
                            if (t.tail.size() < 16_384) t.tail.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process went away
                }
            });
            return t;
        }

        String text() throws InterruptedException {
            reader.join(5_000);
            synchronized (tail) {
                return tail.toString(StandardCharsets.UTF_8).strip();
            }
        }
    }
}
