package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the real PostgreSQL at 127.0.0.1:5432, in a database created for this class. */
class PostgresStoreTest extends StoreContract {
    static String database;

    @TempDir
    static Path dir;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = TestDatabases.create();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        TestDatabases.drop(database);
    }

    @Override
    StoreConfig config() {
        return TestDatabases.config(database);
    }

    @Override
    Path dataDir() {
        return dir;
    }

    @Test
    void describesItselfWithoutCredentials() {
        assertThat(store.embedded()).isFalse();
        assertThat(store.description()).isEqualTo("PostgreSQL at postgresql://postgres@127.0.0.1:5432/" + database);
    }

    @Test
    void unreachableStoreFailsClearlyWithoutThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StoreConfig down =
                new StoreConfig("postgresql://opsdeck:hunter2@127.0.0.1:" + port + "/opsdeck", 2, Position.NONE);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Store.open(down, dir))
                .isInstanceOf(StoreException.class)
                .hasMessage("store unreachable (PostgreSQL at postgresql://opsdeck:***@127.0.0.1:" + port
                        + "/opsdeck): Connection refused")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("hunter2"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        StoreConfig bad = new StoreConfig("postgresql://opsdeck:my secret@db host/opsdeck", 2, Position.NONE);
        assertThatThrownBy(() -> Store.open(bad, dir))
                .isInstanceOf(StoreException.class)
                .hasMessage("store.url is not a valid PostgreSQL URL: not a valid PostgreSQL URL");
    }

    static String stackText(Throwable e) {
        var out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
