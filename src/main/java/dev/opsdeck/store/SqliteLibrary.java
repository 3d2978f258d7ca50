package dev.opsdeck.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Keeps SQLite's native library unpacked under {@code data_dir/native/} and points the driver at it. Left to
 * itself, sqlite-jdbc unpacks the library into the temp directory on every start and compares the copy with
 * the original byte by byte: ~0.17 s of a cold start on a 2-core machine. If the kept copy cannot be loaded
 * the driver falls back to its own unpacking, so this only ever saves time.
 */
final class SqliteLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteLibrary.class);
    static final String PATH_PROPERTY = "org.sqlite.lib.path", NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteLibrary() {}

    /**
     * Sets the driver's library path to the copy kept under {@code dataDir}, unpacking it first if needed.
     * Does nothing when the path is already set: by the operator, or by an earlier store in this process
     * (the library is loaded once per process).
     */
    static void prepare(Path dataDir) {
        if (System.getProperty(PATH_PROPERTY) != null) return;
        try {
            Path library = unpack(dataDir);
            if (library == null) return;
            System.setProperty(NAME_PROPERTY, library.getFileName().toString());
            System.setProperty(PATH_PROPERTY, library.getParent().toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "event=sqlite_library_not_kept dir={} error=\"{}\" note=\"the driver unpacks it to the temp"
                            + " directory instead\"",
                    dataDir,
                    e.getMessage());
        }
    }

    /**
     * The library for this platform at {@code dataDir/native/sqlite-<crc>/<name>}, unpacked if missing or of the
     * wrong size; null when the driver has no bundled library for this platform. The folder is named by the
     * library's CRC, so an upgraded driver gets its own copy. Written to a temporary name and renamed, so a
     * crash never leaves a half-written library under the final name.
     */
    static Path unpack(Path dataDir) throws IOException {
        String name = System.mapLibraryName("sqlitejdbc");
        URL url = SQLiteJDBCLoader.class.getResource(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name);
        if (url == null) return null;
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) return null;
        long size = jar.getJarEntry().getSize(), crc = jar.getJarEntry().getCrc();
        Path dir = dataDir.resolve("native").resolve(String.format(Locale.ROOT, "sqlite-%08x", crc));
        Path library = dir.resolve(name);
        if (Files.isRegularFile(library) && Files.size(library) == size) return library;
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, name, ".part");
        try (InputStream in = jar.getInputStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return library;
    }
}
