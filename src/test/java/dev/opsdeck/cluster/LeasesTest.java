package dev.opsdeck.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import dev.opsdeck.store.TestDatabases;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Leases on both stores: one holder at a time, renewal keeps the token, a takeover after expiry raises it, and a
 * fenced transaction of the node that lost its lease stores nothing.
 */
class LeasesTest {
    static Stream<String> backends() {
        return Stream.of("sqlite", "postgres");
    }

    private static TestDatabases.Backend backend(String name) {
        return name.equals("sqlite") ? TestDatabases.sqlite() : TestDatabases.postgres();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void oneHolderAtATimeAndTheTokenGrowsOnATakeover(String name) throws Exception {
        try (TestDatabases.Backend backend = backend(name);
                Store store = backend.open()) {
            Leases leases = new Leases(store);
            long first = leases.acquire("leader", "a", 1_000).orElseThrow();
            assertThat(leases.acquire("leader", "b", 1_000))
                    .as("b while a holds it")
                    .isEmpty();
            assertThat(leases.acquire("leader", "a", 1_000)).as("a renews").contains(first);
            assertThat(leases.holder("leader")).contains("a");
            Thread.sleep(1_200);
            assertThat(leases.holder("leader")).as("expired").isEmpty();
            long second = leases.acquire("leader", "b", 1_000).orElseThrow();
            assertThat(second).isEqualTo(first + 1);
            assertThat(leases.acquire("leader", "a", 1_000))
                    .as("a after b took over")
                    .isEmpty();
            leases.release("leader", "b");
            assertThat(leases.acquire("leader", "a", 1_000)).contains(second + 1);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aFencedWriteOfANodeThatLostItsLeaseIsNotStored(String name) throws Exception {
        try (TestDatabases.Backend backend = backend(name);
                Store store = backend.open()) {
            Leases leases = new Leases(store);
            Sql sql = new Sql(store, "test");
            long token = leases.acquire("leader", "a", 500).orElseThrow();
            // while held: the fenced write goes in
            Store.fenced(
                    leases.fence("leader", "a", token),
                    () -> sql.update("INSERT INTO outbox_sequence (name, value) VALUES ('while-held', 1)"));
            // a pauses past its lease, b takes over; a wakes and writes with its old token
            Thread.sleep(700);
            assertThat(leases.acquire("leader", "b", 10_000)).contains(token + 1);
            assertThatThrownBy(() -> Store.fenced(
                            leases.fence("leader", "a", token),
                            () -> sql.update("INSERT INTO outbox_sequence (name, value) VALUES ('after-lost', 1)")))
                    .isInstanceOf(StoreException.class)
                    .hasCauseInstanceOf(Leases.LeaseLost.class)
                    .hasMessageContaining("lease 'leader' is no longer held by a under token " + token);
            List<String> names = sql.query("SELECT name FROM outbox_sequence ORDER BY name", rs -> rs.getString(1));
            assertThat(names).contains("while-held").doesNotContain("after-lost");
            // outside the fence nothing is checked
            sql.update("INSERT INTO outbox_sequence (name, value) VALUES ('unfenced', 1)");
            assertThat(sql.first("SELECT value FROM outbox_sequence WHERE name = 'unfenced'", rs -> rs.getLong(1)))
                    .isEqualTo(Optional.of(1L));
        }
    }
}
