package dev.opsdeck.cluster;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The {@code cluster_node} table: one row per node that ever started on this store, with its last heartbeat. */
public final class Nodes {
    /** A node as stored; {@code ageMs} is how long ago its last heartbeat was, by the database's clock. */
    public record Node(
            String id,
            String host,
            String dataDir,
            long pid,
            String url,
            String version,
            String configHash,
            int ownedChecks,
            long startedMs,
            long heartbeatMs,
            Long stoppedMs,
            long ageMs) {
        /** Beating within {@code deadAfterMs} and not stopped. */
        public boolean live(long deadAfterMs) {
            return stoppedMs == null && ageMs < deadAfterMs;
        }
    }

    /** What a beat writes about this node. */
    public record Beat(String url, String version, String configHash, int ownedChecks) {}

    private final Sql sql;
    private final String now;

    public Nodes(Store store) {
        this.sql = new Sql(store, "cluster node");
        this.now = store.nowMillisSql();
    }

    /** Every node that ever started on this store, live or not, by id. */
    public List<Node> all() {
        return sql.query(
                "SELECT node_id, host, data_dir, pid, url, version, config_hash, owned_checks, started_ms, heartbeat_ms,"
                        + " stopped_ms, " + now + " - heartbeat_ms FROM cluster_node ORDER BY node_id",
                Nodes::row);
    }

    /** Writes this node's row as started now (a restart replaces the row it left). */
    public void register(NodeIdentity self, Beat beat) {
        sql.transaction(c -> {
            int n = Sql.update(
                    c,
                    "UPDATE cluster_node SET host = ?, data_dir = ?, pid = ?, url = ?, version = ?, config_hash = ?,"
                            + " owned_checks = ?, started_ms = " + now + ", heartbeat_ms = " + now + ","
                            + " stopped_ms = NULL WHERE node_id = ?",
                    self.host(),
                    self.dataDir(),
                    self.pid(),
                    beat.url(),
                    beat.version(),
                    beat.configHash(),
                    beat.ownedChecks(),
                    self.id());
            if (n == 0) {
                Sql.update(
                        c,
                        "INSERT INTO cluster_node (node_id, host, data_dir, pid, url, version, config_hash,"
                                + " owned_checks, started_ms, heartbeat_ms, stopped_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                + now + ", "
                                + now + ", NULL)",
                        self.id(),
                        self.host(),
                        self.dataDir(),
                        self.pid(),
                        beat.url(),
                        beat.version(),
                        beat.configHash(),
                        beat.ownedChecks());
            }
            return null;
        });
    }

    /** This node is alive: the heartbeat, and what it reports (config hash, checks it owns). */
    public void beat(String nodeId, Beat beat) {
        sql.update(
                "UPDATE cluster_node SET heartbeat_ms = " + now
                        + ", url = ?, config_hash = ?, owned_checks = ?, stopped_ms = NULL WHERE node_id = ?",
                beat.url(),
                beat.configHash(),
                beat.ownedChecks(),
                nodeId);
    }

    /** A graceful stop: the others count this node out at once instead of after the dead-after bound. */
    public void stopped(String nodeId) {
        sql.update("UPDATE cluster_node SET stopped_ms = " + now + " WHERE node_id = ?", nodeId);
    }

    private static Node row(ResultSet rs) throws SQLException {
        return new Node(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                rs.getLong(9),
                rs.getLong(10),
                Sql.nullableLong(rs, 11),
                rs.getLong(12));
    }
}
