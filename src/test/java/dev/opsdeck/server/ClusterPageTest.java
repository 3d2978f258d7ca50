package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.store.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's cluster page on two real nodes sharing a PostgreSQL store, the second with one check more (so
 * its configuration differs): both nodes live, one leader, each node's share of the checks, the mismatch, and the
 * same figures {@code GET /api/v1/cluster} gives.
 */
class ClusterPageTest {
    @TempDir
    Path dir;

    private Path config(String name, String store, String extraCheck) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        return Files.writeString(d.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s", node_id: %s }
                store: { url: "%s" }
                services:
                  api:
                    checks:
                      a: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      b: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      c: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                      d: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }
                %s""".formatted(d.resolve("data"), name, store, extraCheck));
    }

    @Test
    void showsLiveNodesTheLeaderEachNodesChecksAndAConfigurationMismatch() throws Exception {
        String db = TestDatabases.create();
        String url = "postgresql://postgres@127.0.0.1:5432/" + db;
        TestServer a = null, b = null;
        try {
            a = new TestServer(config("node-a", url, ""));
            b = new TestServer(
                    config("node-b", url, "      e: { type: tcp, host: 127.0.0.1, port: 9, interval: 1s }\n"));
            TestServer na = a, nb = b;
            // both heartbeats carry their share once each node has seen the other
            TestServer.awaitHttp(
                    () -> {
                        JsonNode s = na.json("/api/v1/cluster");
                        if (s.path("live_nodes").asInt() != 2
                                || s.path("leader").isNull()) return false;
                        int owned = 0;
                        for (JsonNode n : s.path("nodes"))
                            owned += n.path("owned_checks").asInt();
                        return owned
                                        == na.server.engine().ownedCount()
                                                + nb.server.engine().ownedCount()
                                && na.server.engine().ownedCount() > 0
                                && nb.server.engine().ownedCount() > 0;
                    },
                    "two live nodes, a leader and both shares in the store");
            JsonNode api = a.json("/api/v1/cluster");
            String leader = api.path("leader").asText();
            HttpResponse<String> page = a.get("/cluster");
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.body();
            assertThat(html).contains("<strong>2</strong> live node(s)");
            assertThat(html).contains("leader: <span class=\"mono\">" + leader + "</span>");
            for (JsonNode n : api.path("nodes")) {
                String row = row(html, n.path("id").asText());
                assertThat(row).contains("<span class=\"pill pill-up\">live</span>");
                assertThat(row).contains("<td>" + n.path("owned_checks").asInt() + "</td>");
                assertThat(row.contains("<td>leader</td>"))
                        .isEqualTo(n.path("id").asText().equals(leader));
                assertThat(row.contains("<strong>differs</strong>"))
                        .isEqualTo(!n.path("config_matches").asBoolean());
            }
            assertThat(row(html, "node-a")).contains("node-a (this node)");
            assertThat(row(html, "node-b")).doesNotContain("(this node)");
            // a tie between the two configurations goes to the leader's: the other node is the odd one out
            String other = leader.equals("node-a") ? "node-b" : "node-a";
            assertThat(row(html, other)).contains("<strong>differs</strong>");
            assertThat(row(html, leader)).contains("<td>same</td>");
            assertThat(html).contains("1 live node(s) run another configuration than the others");
            // the odd node says so in /ready too; the leader's configuration is the cluster's, so it stays ready
            TestServer odd = other.equals("node-a") ? a : b, same = other.equals("node-a") ? b : a;
            HttpResponse<String> notReady = odd.get("/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("config differs from the cluster's: this node runs ");
            assertThat(same.get("/ready").statusCode()).isEqualTo(200);
            // without credentials: the sign-in page, never the cluster's names
            HttpResponse<String> anonymous = a.anonymous("/cluster");
            assertThat(anonymous.body()).doesNotContain("node-b");
            assertThat(anonymous.statusCode()).isIn(302, 303, 401);
        } finally {
            if (b != null) b.close();
            if (a != null) a.close();
            TestDatabases.drop(db);
        }
    }

    /** The table row of one node. */
    private static String row(String html, String node) {
        Matcher m = Pattern.compile("<tr data-node=\"" + Pattern.quote(node) + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as("a row for " + node).isTrue();
        return m.group(1);
    }
}
