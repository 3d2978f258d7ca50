package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

class SqliteLibraryTest {
    @TempDir
    Path dataDir;

    private static byte[] bundled() throws Exception {
        String name = System.mapLibraryName("sqlitejdbc");
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void unpacksTheBundledLibraryOnceUnderTheDataDirectory() throws Exception {
        Path library = SqliteLibrary.unpack(dataDir);
        assertThat(library).startsWith(dataDir.resolve("native")).isRegularFile();
        assertThat(library.getParent().getFileName().toString()).matches("sqlite-[0-9a-f]{8}");
        assertThat(Files.readAllBytes(library)).isEqualTo(bundled());
        try (var files = Files.list(library.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(library);
        }

        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, written);
        assertThat(SqliteLibrary.unpack(dataDir)).isEqualTo(library);
        assertThat(Files.getLastModifiedTime(library)).as("kept, not rewritten").isEqualTo(written);
    }

    @Test
    void aTruncatedCopyIsReplaced() throws Exception {
        Path library = SqliteLibrary.unpack(dataDir);
        Files.write(library, new byte[] {1, 2, 3});
        assertThat(SqliteLibrary.unpack(dataDir)).isEqualTo(library);
        assertThat(Files.readAllBytes(library)).isEqualTo(bundled());
    }

    @Test
    void anUnwritableDataDirectoryLeavesTheDriverToItsOwnUnpacking() throws Exception {
        Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");
        String before = System.getProperty(SqliteLibrary.PATH_PROPERTY);
        System.clearProperty(SqliteLibrary.PATH_PROPERTY);
        try {
            SqliteLibrary.prepare(file); // native/ cannot be created under a file
            assertThat(System.getProperty(SqliteLibrary.PATH_PROPERTY)).isNull();
        } finally {
            if (before != null) System.setProperty(SqliteLibrary.PATH_PROPERTY, before);
        }
    }

    @Test
    void aStoreLoadsTheKeptCopy() throws Exception {
        // in a JVM of its own: the library is loaded once per process, and this one loaded it long ago
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SqliteLibraryChild.class.getName(),
                        dataDir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor()).as(out).isZero();
        assertThat(out)
                .as("mapped from data_dir/native, not from the temp directory")
                .contains("loaded " + dataDir.resolve("native").toRealPath())
                .doesNotContain("loaded /tmp/sqlite-");
    }
}
