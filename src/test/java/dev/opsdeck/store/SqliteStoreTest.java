package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on embedded SQLite in a temp directory. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    static Path dir;

    @Override
    StoreConfig config() {
        return new StoreConfig("embedded", 8, Position.NONE);
    }

    @Override
    Path dataDir() {
        return dir.resolve("data");
    }

    @Test
    void embeddedStoreLivesInDataDirInWalMode() throws Exception {
        assertThat(store.embedded()).isTrue();
        assertThat(store.description())
                .isEqualTo("embedded SQLite at " + dataDir().resolve("opsdeck.db"));
        assertThat(Files.exists(dataDir().resolve("opsdeck.db"))).isTrue();
        try (var c = store.dataSource().getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }
}
