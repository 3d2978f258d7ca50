package dev.opsdeck.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two alert engines on one PostgreSQL store, as on two nodes, while a check's owner moves from node A to node B and
 * back: A is counted out for a while (a slow start, a long pause) without noticing it, B probes the check meanwhile,
 * and A takes it back. Each outage must fire once and resolve once, whichever node sees which end of it.
 */
class AlertOwnershipTest {
    private static final String CHECK = "api/ping";

    @TempDir
    Path dir;

    @Test
    void anOutageResolvedByTheOtherNodeIsNeitherResolvedAgainNorHidingTheNextOne() throws Exception {
        Predicate<String> onA = id -> false, onB = id -> true; // from B's side: A's checks are B's
        try (TestDatabases.Backend pg = TestDatabases.postgres();
                Store store = pg.open();
                AlertFixture a = new AlertFixture(Files.createDirectories(dir.resolve("a")), yaml(), store, null);
                AlertFixture b = new AlertFixture(Files.createDirectories(dir.resolve("b")), yaml(), store, null)) {
            a.engine.share(id -> true);
            b.engine.share(onA);
            a.down(CHECK); // outage 1 pages from A
            awaitStored(store, 1);
            // A is counted out: B probes the check and sees outage 1 end
            b.engine.share(onB);
            b.down(CHECK);
            b.up(CHECK);
            awaitStored(store, 0);
            // A beats again and takes the check back
            b.engine.share(onA);
            a.engine.share(id -> true);
            a.up(CHECK);
            assertThat(a.events(AlertEvent.State.RESOLVED))
                    .as("outage 1 resolved again by A")
                    .isEmpty();
            a.down(CHECK); // outage 2
            a.up(CHECK);
            assertThat(a.events(AlertEvent.State.FIRING))
                    .as("A's pages: outage 1 and 2")
                    .hasSize(2);
            assertThat(a.events(AlertEvent.State.RESOLVED))
                    .as("A's resolutions: outage 2")
                    .hasSize(1);
            assertThat(b.events(AlertEvent.State.FIRING)).as("B's pages").isEmpty();
            assertThat(b.events(AlertEvent.State.RESOLVED))
                    .as("B's resolutions: outage 1")
                    .hasSize(1);
        }
    }

    @Test
    void anOutageThatBeganWhileANodeWasCountedOutIsResolvedByItOnceItIsBack() throws Exception {
        try (TestDatabases.Backend pg = TestDatabases.postgres();
                Store store = pg.open();
                AlertFixture a = new AlertFixture(Files.createDirectories(dir.resolve("a")), yaml(), store, null);
                AlertFixture b = new AlertFixture(Files.createDirectories(dir.resolve("b")), yaml(), store, null)) {
            a.engine.share(id -> true);
            b.engine.share(id -> false);
            a.up(CHECK);
            // A is counted out; B sees the outage begin and pages it
            b.engine.share(id -> true);
            b.down(CHECK);
            awaitStored(store, 1);
            // A is back before the outage ends, and sees its end
            b.engine.share(id -> false);
            a.engine.share(id -> true);
            a.down(CHECK);
            a.up(CHECK);
            assertThat(b.events)
                    .singleElement()
                    .satisfies(e -> assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING));
            assertThat(a.events)
                    .singleElement()
                    .satisfies(e -> assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED));
            awaitStored(store, 0);
        }
    }

    private static String yaml() {
        return AlertFixture.tcpChecks(CHECK);
    }

    /** Waits until the writers committed: {@code n} alerts stored. */
    private static void awaitStored(Store store, int n) throws InterruptedException {
        Sql sql = new Sql(store, "test");
        long deadline = System.currentTimeMillis() + 10_000;
        while (sql.query("SELECT count(*) FROM alert_active", rs -> rs.getInt(1))
                        .getFirst()
                != n) {
            assertThat(System.currentTimeMillis()).as("%d alerts stored", n).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
