package dev.opsdeck.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of a contract that runs once per store backend (a SQLite and a PostgreSQL subclass). The backend lives as
 * long as the class; each test gets the store opened afresh and reset by {@link #reset()}, and closed after it.
 * A subclass's own {@code @BeforeEach} runs after the reset, so it can wire its services to {@link #store}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OnEachBackend {
    protected TestDatabases.Backend backend;
    protected Store store;

    /** A fresh backend for this class: {@code TestDatabases.sqlite()} or {@code TestDatabases.postgres()}. */
    protected abstract TestDatabases.Backend newBackend();

    /** The statements that bring the store to where every test starts, children's tables before their parents'. */
    protected abstract List<String> reset();

    @BeforeAll
    protected final void startBackend() {
        backend = newBackend();
    }

    @AfterAll
    protected final void stopBackend() {
        backend.close();
    }

    @BeforeEach
    protected final void openAndResetStore() throws SQLException {
        store = backend.open();
        sql(reset().toArray(String[]::new));
    }

    @AfterEach
    protected final void closeStore() {
        store.close();
    }

    protected void sql(String... statements) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }
}
