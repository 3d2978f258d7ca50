package dev.opsdeck.server;

import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.cluster.Nodes;
import dev.opsdeck.web.ClusterPages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The cluster as the dashboard's page shows it, read from the store at each call (the web layer sits below it). */
final class ClusterStatus {
    private ClusterStatus() {}

    static ClusterPages.Status of(Cluster cluster) {
        List<Nodes.Node> all = cluster.nodes();
        String leader = cluster.leader();
        String hash = cluster.clusterConfigHash(all);
        int live = 0;
        List<ClusterPages.Node> nodes = new ArrayList<>();
        for (Nodes.Node n : all) {
            boolean isLive = n.live(Cluster.DEAD_AFTER_MS);
            if (isLive) live++;
            nodes.add(new ClusterPages.Node(
                    n.id(),
                    n.stoppedMs() != null ? "stopped" : isLive ? "live" : "dead",
                    n.id().equals(leader),
                    n.id().equals(cluster.nodeId()),
                    n.host(),
                    n.version(),
                    Instant.ofEpochMilli(n.heartbeatMs()).toString(),
                    n.ageMs(),
                    isLive ? n.ownedChecks() : 0,
                    n.configHash().equals(hash)));
        }
        return new ClusterPages.Status(leader, live, hash, cluster.configProblem(), nodes);
    }
}
