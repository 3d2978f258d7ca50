package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.cluster.NodeRefused;
import dev.opsdeck.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real servers on one PostgreSQL store share the checks; an embedded store refuses a second node. */
class ClusterTest {
    @TempDir
    Path dir;

    private Path config(String name, String store, String extra) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        return Files.writeString(d.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" %s }
                store: { url: "%s" }
                services:
                  api:
                    checks:
                      a: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      b: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      c: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      d: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      e: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      f: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                """.formatted(d.resolve("data"), extra, store));
    }

    @Test
    void anEmbeddedStoreRefusesASecondNode() throws Exception {
        Path first = config("one", "embedded", "");
        try (TestServer one = new TestServer(first)) {
            // a second process on the same data directory, named otherwise
            Path second = Files.writeString(
                    dir.resolve("second.yaml"),
                    Files.readString(first).replace("server: {", "server: { node_id: second,"));
            assertThatThrownBy(() -> OpsdeckServer.start(second, new OpsdeckServer.Options(0, 200)))
                    .isInstanceOf(NodeRefused.class)
                    .hasMessageContaining(
                            "is in use by node '" + one.server.cluster().nodeId() + "'")
                    .hasMessageContaining("an embedded SQLite store serves one node");
            JsonNode status = one.json("/api/v1/cluster");
            assertThat(status.path("live_nodes").asInt()).isEqualTo(1);
            assertThat(status.path("leader").asText())
                    .isEqualTo(one.server.cluster().nodeId());
            TestServer.awaitHttp(
                    () -> one.json("/api/v1/cluster")
                                    .path("nodes")
                                    .get(0)
                                    .path("owned_checks")
                                    .asInt()
                            == 6,
                    "the node's share, written by its next heartbeat");
        }
        // stopped: the same store takes another node
        Path again = Files.writeString(
                dir.resolve("again.yaml"), Files.readString(first).replace("server: {", "server: { node_id: again,"));
        try (TestServer next = new TestServer(again)) {
            assertThat(next.server.cluster().nodeId()).isEqualTo("again");
        }
    }

    /**
     * A node that dies without a word: played by rows written straight into the store (a heartbeat, and the leader
     * lease), which then stop being renewed. The real node shares the checks with it while it beats and takes them
     * and the lead back within the failover bound after, under a higher fencing token.
     */
    @Test
    void aDeadNodesChecksAndLeadMoveWithinTheBound() throws Exception {
        String db = TestDatabases.create();
        String url = "postgresql://postgres@127.0.0.1:5432/" + db;
        try (java.sql.Connection c =
                java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", null)) {
            TestServer survivor = null;
            try {
                survivor = new TestServer(config("s", url, ", node_id: survivor"));
                TestServer s = survivor;
                assertThat(s.json("/api/v1/cluster").path("nodes").size()).isEqualTo(1);
                // the ghost joins and, as if it had won the lease, holds it for 10 s
                String now = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
                try (var st = c.createStatement()) {
                    st.execute("INSERT INTO cluster_node (node_id, host, data_dir, pid, url, version, config_hash,"
                            + " owned_checks, started_ms, heartbeat_ms) VALUES ('ghost', 'elsewhere', '/x', 1, NULL,"
                            + " 'dev', 'x', 0, " + now + ", " + now + ")");
                    st.execute("UPDATE cluster_lease SET holder = 'ghost', token = token + 1, expires_ms = " + now
                            + " + 10000 WHERE name = 'leader'");
                }
                long killed = System.nanoTime();
                TestServer.awaitHttp(
                        () -> s.server.cluster().liveNodes().size() == 2
                                && !s.server.cluster().leads(),
                        "the survivor to see the ghost and lose the lead");
                int shared = s.server.engine().ownedCount();
                assertThat(shared).isLessThan(6);
                assertThat(s.server.cluster().asLeader("test", () -> {})).isFalse();
                // the ghost never beats again: within dead-after (10 s) + a beat (2 s) the survivor has it all
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (!(s.server.engine().ownedCount() == 6
                        && s.server.cluster().leads())) {
                    assertThat(System.nanoTime()).as("failover within 15 s").isLessThan(deadline);
                    Thread.sleep(100);
                }
                long tookMs = (System.nanoTime() - killed) / 1_000_000;
                System.out.println("failover after the ghost's last heartbeat: " + tookMs + " ms");
                assertThat(tookMs).isBetween(8_000L, 15_000L);
                JsonNode status = s.json("/api/v1/cluster");
                assertThat(status.path("leader").asText()).isEqualTo("survivor");
                for (JsonNode n : status.path("nodes"))
                    if (n.path("id").asText().equals("ghost"))
                        assertThat(n.path("state").asText()).isEqualTo("dead");
                // the lease changed hands twice since the survivor first took it: its token says so
                try (var st = c.createStatement();
                        var rs = st.executeQuery("SELECT token FROM cluster_lease WHERE name = 'leader'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(3);
                }
            } finally {
                if (survivor != null) survivor.close();
            }
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void twoNodesOnPostgresShareTheChecksAndEachAnswersForAll() throws Exception {
        String db = TestDatabases.create();
        String url = "postgresql://postgres@127.0.0.1:5432/" + db;
        TestServer[] nodes = new TestServer[2];
        TestServer[] stopped = new TestServer[1];
        try {
            nodes[0] = new TestServer(config("a", url, ", node_id: node-a"));
            nodes[1] = new TestServer(config("b", url, ", node_id: node-b"));
            TestServer a = nodes[0], b = nodes[1];
            TestServer.awaitHttp(
                    () -> a.server.cluster().liveNodes().size() == 2
                            && b.server.cluster().liveNodes().size() == 2,
                    "both nodes to see each other");
            int ownedA = a.server.engine().ownedCount(),
                    ownedB = b.server.engine().ownedCount();
            assertThat(ownedA + ownedB).isEqualTo(6);
            assertThat(ownedA).isPositive();
            assertThat(ownedB).isPositive();
            Set<String> leaders = new HashSet<>();
            if (a.server.cluster().leads()) leaders.add("node-a");
            if (b.server.cluster().leads()) leaders.add("node-b");
            assertThat(leaders).hasSize(1);
            // every node answers for every check: the ones the other probes read from the store
            TestServer.awaitHttp(
                    () -> {
                        for (TestServer s : new TestServer[] {a, b}) {
                            JsonNode checks = s.json("/api/v1/services/api").path("checks");
                            if (checks.size() != 6) return false;
                            for (JsonNode c : checks)
                                if (!c.path("status").asText().equals("down")) return false;
                        }
                        return true;
                    },
                    "every check down on both nodes");
            TestServer.awaitHttp(
                    () -> a.json("/api/v1/cluster")
                                    .path("nodes")
                                    .get(1)
                                    .path("owned_checks")
                                    .asInt()
                            == ownedB,
                    "node-b's share in the cluster status");
            JsonNode status = b.json("/api/v1/cluster");
            assertThat(status.path("live_nodes").asInt()).isEqualTo(2);
            assertThat(status.path("leader").asText())
                    .isEqualTo(leaders.iterator().next());
            assertThat(status.path("config_problem").isNull()).isTrue();
            for (JsonNode n : status.path("nodes")) {
                assertThat(n.path("state").asText()).isEqualTo("live");
                assertThat(n.path("config_matches").asBoolean()).isTrue();
            }
            assertThat(a.anonymous("/metrics").body())
                    .contains("opsdeck_cluster_nodes 2.0")
                    .contains("opsdeck_cluster_owned_checks " + ownedA + ".0");
            // a node that stops hands its checks and, if it led, the lease over at once
            TestServer leader = a.server.cluster().leads() ? a : b, other = leader == a ? b : a;
            stopped[0] = leader;
            leader.close();
            TestServer.awaitHttp(
                    () -> other.server.engine().ownedCount() == 6
                            && other.server.cluster().leads(),
                    "the other node to take every check and the lead");
            assertThat(other.json("/api/v1/cluster").path("live_nodes").asInt()).isEqualTo(1);
        } finally {
            for (TestServer s : nodes) if (s != null && s != stopped[0]) s.close();
            TestDatabases.drop(db);
        }
    }
}
