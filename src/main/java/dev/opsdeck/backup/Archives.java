package dev.opsdeck.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tests and restores backup files with the PostgreSQL tools: a plain dump is decompressed (gzip checks its
 * CRC, zstd its frame checksum) and, for a restore, piped into {@code psql}; custom and directory archives are
 * listed ({@code pg_restore --list} reads their whole table of contents) or restored with {@code pg_restore}.
 */
final class Archives {
    private final PgTools tools;

    Archives(PgTools tools) {
        this.tools = tools;
    }

    /** Throws a {@link BackupFailure} naming the file when it is not a readable archive of its format. */
    void test(String format, String compression, Path file) {
        try {
            switch (format) {
                case "plain" -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        Codec.of(compression).test(in);
                    }
                }
                case "custom" ->
                    run(
                            List.of(tools.find("pg_restore").toString(), "--list", file.toString()),
                            null,
                            null,
                            "pg_restore --list");
                default ->
                    withUnpacked(
                            file,
                            dir -> run(
                                    List.of(tools.find("pg_restore").toString(), "--list", dir.toString()),
                                    null,
                                    null,
                                    "pg_restore --list"));
            }
        } catch (IOException e) {
            throw new BackupFailure(
                    "archive test of " + file.getFileName() + " failed: " + e.getMessage() + " (" + compression
                            + " stream damaged or truncated)",
                    "take a new backup; keep this file for analysis",
                    e);
        }
    }

    /** Restores {@code file} into the (existing, empty) database of {@code into}; {@code read} counts the bytes read. */
    void restore(String format, String compression, int jobs, Path file, PgTarget into, AtomicLong read) {
        try {
            switch (format) {
                case "plain" -> {
                    try (InputStream in =
                            Codec.of(compression).decompress(new Counting(Files.newInputStream(file), read))) {
                        run(
                                List.of(
                                        tools.find("psql").toString(),
                                        "--no-psqlrc",
                                        "--quiet",
                                        "--set",
                                        "ON_ERROR_STOP=1",
                                        "--single-transaction",
                                        "--no-password"),
                                in,
                                into,
                                "psql");
                    }
                }
                case "custom" -> {
                    read.set(Files.size(file));
                    run(
                            List.of(
                                    tools.find("pg_restore").toString(),
                                    "--no-password",
                                    "--exit-on-error",
                                    "--dbname=" + into.database(),
                                    file.toString()),
                            null,
                            into,
                            "pg_restore");
                }
                default -> {
                    read.set(Files.size(file));
                    withUnpacked(
                            file,
                            dir -> run(
                                    List.of(
                                            tools.find("pg_restore").toString(),
                                            "--no-password",
                                            "--exit-on-error",
                                            "--jobs=" + jobs,
                                            "--dbname=" + into.database(),
                                            dir.toString()),
                                    null,
                                    into,
                                    "pg_restore"));
                }
            }
        } catch (IOException e) {
            throw new BackupFailure(
                    "restore of " + file.getFileName() + " into " + into.where() + " failed: " + e.getMessage(),
                    null,
                    e);
        }
    }

    private interface DirWork {
        void run(Path dir) throws IOException;
    }

    private void withUnpacked(Path tar, DirWork work) throws IOException {
        Path dir = tar.resolveSibling("." + tar.getFileName() + ".unpacked");
        Cleanup.deleteTreeQuietly(dir);
        Files.createDirectories(dir);
        try {
            run(List.of(tools.findTar(), "-xf", tar.toString(), "-C", dir.toString()), null, null, "tar");
            work.run(dir);
        } finally {
            Cleanup.deleteTreeQuietly(dir);
        }
    }

    /** Runs a tool (connection through PG* variables when {@code db} is given), feeding {@code stdin} if any. */
    private static void run(List<String> command, InputStream stdin, PgTarget db, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (db != null) db.applyTo(pb.environment());
        if (stdin == null)
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        Dumper.StderrTail err = Dumper.StderrTail.of(p);
        if (stdin != null) {
            try (OutputStream out = p.getOutputStream()) {
                stdin.transferTo(out);
            } catch (IOException e) {
                // the tool stopped reading (it failed): its exit code and stderr below say why
            }
        }
        try {
            if (!p.waitFor(24, TimeUnit.HOURS)) p.destroyForcibly();
            String text = err.text();
            if (p.exitValue() != 0) {
                throw new IOException(
                        name + " exited with " + p.exitValue() + (text.isEmpty() ? "" : ": " + lastLines(text)));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(name + " interrupted", e);
        }
    }

    private static String lastLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /** Counts bytes read, for progress. */
    static final class Counting extends FilterInputStream {
        private final AtomicLong count;

        Counting(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count.incrementAndGet();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count.addAndGet(n);
            return n;
        }
    }
}
