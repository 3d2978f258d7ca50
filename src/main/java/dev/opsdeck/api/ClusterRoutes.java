package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.cluster.Nodes;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/cluster}: the nodes sharing this store, live or not, their last heartbeat, which one leads,
 * how many checks each probes and whether each runs the configuration most live nodes run. Read from the store,
 * so every node gives the same answer.
 */
public final class ClusterRoutes {
    private final Cluster cluster;

    public ClusterRoutes(Cluster cluster) {
        this.cluster = cluster;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config).get("/api/v1/cluster", READ, this::status);
    }

    private void status(Context ctx) {
        List<Nodes.Node> all = cluster.nodes();
        String leader = cluster.leader();
        String hash = cluster.clusterConfigHash(all);
        List<Map<String, Object>> nodes = new ArrayList<>();
        int live = 0;
        for (Nodes.Node n : all) {
            boolean isLive = n.live(Cluster.DEAD_AFTER_MS);
            if (isLive) live++;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("state", n.stoppedMs() != null ? "stopped" : isLive ? "live" : "dead");
            m.put("leader", n.id().equals(leader));
            m.put("host", n.host());
            m.put("url", n.url());
            m.put("version", n.version());
            m.put("started_at", Instant.ofEpochMilli(n.startedMs()).toString());
            m.put("heartbeat_at", Instant.ofEpochMilli(n.heartbeatMs()).toString());
            m.put("heartbeat_age_ms", n.ageMs());
            m.put(
                    "stopped_at",
                    n.stoppedMs() == null
                            ? null
                            : Instant.ofEpochMilli(n.stoppedMs()).toString());
            m.put("owned_checks", isLive ? n.ownedChecks() : 0);
            m.put("config_hash", n.configHash());
            m.put("config_matches", n.configHash().equals(hash));
            nodes.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", cluster.nodeId());
        out.put("leader", leader);
        out.put("live_nodes", live);
        out.put("config_hash", hash);
        out.put("config_problem", cluster.configProblem());
        out.put("heartbeat_ms", Cluster.BEAT_MS);
        out.put("dead_after_ms", Cluster.DEAD_AFTER_MS);
        out.put("nodes", nodes);
        ctx.json(out);
    }
}
