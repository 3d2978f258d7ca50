package dev.opsdeck.deploy;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The deploy tables (V18). One deploy at a time per service is kept twice: {@link #insertIfIdle} looks for an
 * active deploy in the same transaction as its insert, and a partial unique index refuses a second active deploy
 * carried out by Opsdeck even when two nodes insert at once.
 */
public final class DeployStore {
    static final String COLUMNS = "id, service, environment, version, previous_version, commit_ms, description, link,"
            + " source, actor, state, reason, run_id, rollback_run_id, rollback_of, requested_ms, started_ms,"
            + " ended_ms, external_id";
    private static final String ACTIVE = "('pending', 'running', 'verifying')";
    private final Sql sql;

    public DeployStore(Store store) {
        this.sql = new Sql(store, "deploy");
    }

    /** Which deploys: each non-null field narrows; newest first, {@code limit} from {@code offset}. */
    public record Filter(String service, String state, String source, String environment, int limit, int offset) {}

    /** Inserts {@code d} unless an Opsdeck deploy of its service is active; the active one otherwise. */
    public Optional<Deploy> insertIfIdle(Deploy d) {
        try {
            return sql.transaction(c -> {
                Optional<Deploy> busy = Sql.first(
                        c,
                        "SELECT " + COLUMNS + " FROM deploy WHERE service = ? AND source = 'opsdeck' AND state IN "
                                + ACTIVE,
                        DeployStore::row,
                        d.service());
                if (busy.isPresent()) return busy;
                insert(c, d);
                return Optional.empty();
            });
        } catch (StoreException e) {
            Optional<Deploy> busy = active(d.service());
            if (busy.isPresent()) return busy; // the index refused it: another node inserted first
            throw e;
        }
    }

    /** Inserts a record reported by another tool. */
    public void insert(Deploy d) {
        sql.transaction(c -> {
            insert(c, d);
            return null;
        });
    }

    public void update(Deploy d) {
        sql.update(
                "UPDATE deploy SET previous_version = ?, commit_ms = ?, description = ?, link = ?, state = ?,"
                        + " reason = ?, run_id = ?, rollback_run_id = ?, started_ms = ?, ended_ms = ? WHERE id = ?",
                d.previousVersion(),
                d.commitMs(),
                d.description(),
                d.link(),
                d.state().label(),
                d.reason(),
                d.runId(),
                d.rollbackRunId(),
                d.startedMs(),
                d.endedMs(),
                d.id());
    }

    public Optional<Deploy> find(String id) {
        return sql.first("SELECT " + COLUMNS + " FROM deploy WHERE id = ?", DeployStore::row, id);
    }

    public Optional<Deploy> byExternalId(String source, String externalId) {
        return sql.first(
                "SELECT " + COLUMNS + " FROM deploy WHERE source = ? AND external_id = ?",
                DeployStore::row,
                source,
                externalId);
    }

    /** The Opsdeck deploy of {@code service} in progress, if any. */
    public Optional<Deploy> active(String service) {
        return sql.first(
                "SELECT " + COLUMNS + " FROM deploy WHERE service = ? AND source = 'opsdeck' AND state IN " + ACTIVE,
                DeployStore::row,
                service);
    }

    /** Opsdeck deploys left running or verifying (a process that stopped), and pending ones. */
    public List<Deploy> unfinished() {
        return sql.query(
                "SELECT " + COLUMNS + " FROM deploy WHERE source = 'opsdeck' AND state IN " + ACTIVE
                        + " ORDER BY requested_ms",
                DeployStore::row);
    }

    /** The newest succeeded deploys of {@code service} in {@code environment}, newest first. */
    public List<Deploy> succeeded(String service, String environment, int limit) {
        return sql.query(
                "SELECT " + COLUMNS + " FROM deploy WHERE service = ? AND environment = ? AND state = 'succeeded'"
                        + " ORDER BY COALESCE(ended_ms, requested_ms) DESC, id DESC",
                limit,
                DeployStore::row,
                service,
                environment);
    }

    /** Every deploy to {@code environment} requested in {@code [fromMs, toMs)}, oldest first. */
    public List<Deploy> requestedBetween(long fromMs, long toMs, String environment) {
        return sql.query(
                "SELECT " + COLUMNS + " FROM deploy WHERE environment = ? AND requested_ms >= ? AND requested_ms < ?"
                        + " ORDER BY requested_ms, id",
                DeployStore::row,
                environment,
                fromMs,
                toMs);
    }

    public List<Deploy> list(Filter f) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.service() != null) {
            where.append(" AND service = ?");
            args.add(f.service());
        }
        if (f.state() != null) {
            where.append(" AND state = ?");
            args.add(f.state());
        }
        if (f.source() != null) {
            where.append(" AND source = ?");
            args.add(f.source());
        }
        if (f.environment() != null) {
            where.append(" AND environment = ?");
            args.add(f.environment());
        }
        args.add(f.limit());
        args.add(f.offset());
        return sql.query(
                "SELECT " + COLUMNS + " FROM deploy" + where + " ORDER BY requested_ms DESC, id DESC LIMIT ? OFFSET ?",
                DeployStore::row,
                args.toArray());
    }

    /** Appends a line to the deploy's evidence, numbered after the last one. */
    public Evidence addEvidence(
            String deployId, String phase, String name, boolean passed, String detail, String body, long atMs) {
        return sql.transaction(c -> {
            int seq = Sql.first(
                                    c,
                                    "SELECT COALESCE(MAX(seq), 0) FROM deploy_evidence WHERE deploy_id = ?",
                                    rs -> rs.getInt(1),
                                    deployId)
                            .orElse(0)
                    + 1;
            Evidence e = new Evidence(
                    deployId,
                    seq,
                    phase,
                    Evidence.cap(name, 200),
                    passed,
                    Evidence.cap(detail, Evidence.DETAIL_CAP),
                    Evidence.cap(body, Evidence.BODY_CAP),
                    atMs);
            Sql.update(
                    c,
                    "INSERT INTO deploy_evidence (deploy_id, seq, phase, name, passed, detail, body, at_ms)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    e.deployId(),
                    e.seq(),
                    e.phase(),
                    e.name(),
                    e.passed() ? 1 : 0,
                    e.detail(),
                    e.body(),
                    e.atMs());
            return e;
        });
    }

    /** The evidence after line {@code afterSeq} (0: all), in order. */
    public List<Evidence> evidence(String deployId, int afterSeq) {
        return sql.query(
                "SELECT deploy_id, seq, phase, name, passed, detail, body, at_ms FROM deploy_evidence"
                        + " WHERE deploy_id = ? AND seq > ? ORDER BY seq",
                rs -> new Evidence(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5) != 0,
                        rs.getString(6),
                        rs.getString(7),
                        rs.getLong(8)),
                deployId,
                afterSeq);
    }

    private static void insert(java.sql.Connection c, Deploy d) throws SQLException {
        Sql.update(
                c,
                "INSERT INTO deploy (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.id(),
                d.service(),
                d.environment(),
                d.version(),
                d.previousVersion(),
                d.commitMs(),
                d.description(),
                d.link(),
                d.source(),
                d.actor(),
                d.state().label(),
                d.reason(),
                d.runId(),
                d.rollbackRunId(),
                d.rollbackOf(),
                d.requestedMs(),
                d.startedMs(),
                d.endedMs(),
                d.externalId());
    }

    static Deploy row(ResultSet rs) throws SQLException {
        return new Deploy(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                Sql.nullableLong(rs, 6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                DeployState.of(rs.getString(11)),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                rs.getLong(16),
                Sql.nullableLong(rs, 17),
                Sql.nullableLong(rs, 18),
                rs.getString(19));
    }
}
