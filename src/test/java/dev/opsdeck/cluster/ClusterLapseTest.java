package dev.opsdeck.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A node whose heartbeats stop for longer than the dead-after bound (a start slower than it, a long pause) is
 * counted out by the others, who probe its checks meanwhile, though the live nodes look the same to it when it
 * beats again. It must be told, like on a change of the live nodes, so that it takes the checks' state back from
 * the store instead of going on from what it remembered.
 */
class ClusterLapseTest {
    @Test
    void aNodeWhoseHeartbeatLapsedIsToldAsOnAMembershipChange() throws Exception {
        try (TestDatabases.Backend pg = TestDatabases.postgres();
                Store store = pg.open()) {
            Cluster a = Cluster.join(store, node("node-a"), beats());
            Cluster b = Cluster.join(store, node("node-b"), beats());
            a.beat();
            assertThat(a.liveNodes()).containsExactly("node-a", "node-b");
            List<List<String>> toldA = new CopyOnWriteArrayList<>();
            a.onMembership(toldA::add);
            a.beat();
            assertThat(toldA).as("nothing changed").isEmpty();
            // node-a pauses; node-b goes on beating and counts it out
            long until = System.nanoTime() + (Cluster.DEAD_AFTER_MS + Cluster.BEAT_MS) * 1_000_000;
            while (System.nanoTime() < until) {
                b.beat();
                Thread.sleep(Cluster.BEAT_MS / 2);
            }
            assertThat(b.liveNodes()).containsExactly("node-b");
            assertThat(b.owns("api/ping")).isTrue();
            a.beat(); // node-a wakes up: the live nodes look the same to it
            assertThat(a.liveNodes()).containsExactly("node-a", "node-b");
            assertThat(toldA).as("told after the lapse").containsExactly(List.of("node-a", "node-b"));
            a.beat();
            assertThat(toldA).as("once").hasSize(1);
        }
    }

    private static Supplier<Nodes.Beat> beats() {
        return () -> new Nodes.Beat(null, "test", "hash", 0);
    }

    private static NodeIdentity node(String id) {
        return new NodeIdentity(
                id, "host", "/data/" + id, ProcessHandle.current().pid());
    }
}
