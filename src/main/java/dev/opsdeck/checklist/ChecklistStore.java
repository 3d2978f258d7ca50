package dev.opsdeck.checklist;

import dev.opsdeck.config.Json;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The checklist tables (V16): runs with their item results, attestations and waivers. */
final class ChecklistStore {
    private static final String RUN = "id, checklist, cause, actor, config_hash, started_ms, ended_ms, score, ready";
    private static final String RESULT = "run_id, checklist, item_id, state, message, evidence, duration_ms, at_ms";
    private static final String ATTESTATION = "id, checklist, item_id, note, attested_by, attested_ms, expires_ms";
    private static final String WAIVER =
            "id, checklist, item_id, reason, requested_by, requested_ms, expires_ms," + " approved_by, approved_ms";
    private final Sql sql;

    ChecklistStore(Store store) {
        this.sql = new Sql(store, "checklist");
    }

    /** The run and every item's result, in one transaction. */
    void save(ChecklistRun run, List<ItemResult> results) {
        sql.transaction(c -> {
            Sql.update(
                    c,
                    "INSERT INTO checklist_run (" + RUN + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    run.id(),
                    run.checklist(),
                    run.cause(),
                    run.actor(),
                    run.configHash(),
                    run.startedMs(),
                    run.endedMs(),
                    run.score(),
                    run.ready() ? 1 : 0);
            List<Object[]> rows = new ArrayList<>();
            for (ItemResult r : results) {
                rows.add(new Object[] {
                    r.runId(),
                    r.checklist(),
                    r.itemId(),
                    r.state().label(),
                    r.message() == null || r.message().length() <= 2000
                            ? r.message()
                            : r.message().substring(0, 1997) + "...",
                    Json.write(r.evidence()),
                    r.durationMs(),
                    r.atMs()
                });
            }
            Sql.batch(c, "INSERT INTO checklist_result (" + RESULT + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
            return null;
        });
    }

    Optional<ChecklistRun> lastRun(String checklist) {
        return sql.first(
                "SELECT " + RUN + " FROM checklist_run WHERE checklist = ? ORDER BY started_ms DESC, id DESC",
                ChecklistStore::run,
                checklist);
    }

    List<ChecklistRun> runs(String checklist, int limit) {
        return sql.query(
                "SELECT " + RUN + " FROM checklist_run WHERE checklist = ? ORDER BY started_ms DESC, id DESC",
                limit,
                ChecklistStore::run,
                checklist);
    }

    Optional<ChecklistRun> run(String id) {
        return sql.first("SELECT " + RUN + " FROM checklist_run WHERE id = ?", ChecklistStore::run, id);
    }

    /** The results of one run, by item id. */
    Map<String, ItemResult> results(String runId) {
        Map<String, ItemResult> out = new LinkedHashMap<>();
        sql.query("SELECT " + RESULT + " FROM checklist_result WHERE run_id = ?", ChecklistStore::result, runId)
                .forEach(r -> out.put(r.itemId(), r));
        return out;
    }

    /** The results of the given runs of a checklist, each item's newest first: the history a page draws. */
    Map<String, List<ItemResult>> history(String checklist, List<String> runIds) {
        Map<String, List<ItemResult>> out = new LinkedHashMap<>();
        if (runIds.isEmpty()) return out;
        Object[] args = new Object[runIds.size() + 1];
        args[0] = checklist;
        for (int i = 0; i < runIds.size(); i++) args[i + 1] = runIds.get(i);
        String marks = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
        sql.query(
                        "SELECT " + RESULT + " FROM checklist_result WHERE checklist = ? AND run_id IN (" + marks
                                + ") ORDER BY at_ms DESC, run_id DESC",
                        ChecklistStore::result,
                        args)
                .forEach(r ->
                        out.computeIfAbsent(r.itemId(), k -> new ArrayList<>()).add(r));
        return out;
    }

    /** One item's results, newest first. */
    List<ItemResult> history(String checklist, String itemId, int limit) {
        return sql.query(
                "SELECT " + RESULT + " FROM checklist_result WHERE checklist = ? AND item_id = ?"
                        + " ORDER BY at_ms DESC, run_id DESC",
                limit,
                ChecklistStore::result,
                checklist,
                itemId);
    }

    /**
     * When an item's latest failure began: the time of its first result that is not proven after its newest proven
     * one; null when its newest result is proven or it was never proven (nothing was lost, nothing fired).
     */
    Long failingSince(String checklist, String itemId) {
        List<Object> args = new ArrayList<>(List.of(checklist, itemId));
        for (ItemState s : ItemState.values()) if (s.proven()) args.add(s.label());
        String marks = String.join(", ", java.util.Collections.nCopies(args.size() - 2, "?"));
        List<Long> lastProven = sql.query(
                "SELECT at_ms FROM checklist_result WHERE checklist = ? AND item_id = ? AND state IN (" + marks
                        + ") ORDER BY at_ms DESC",
                1,
                rs -> rs.getLong(1),
                args.toArray());
        if (lastProven.isEmpty()) return null;
        List<Long> firstLost = sql.query(
                "SELECT at_ms FROM checklist_result WHERE checklist = ? AND item_id = ? AND at_ms > ? ORDER BY at_ms",
                1,
                rs -> rs.getLong(1),
                checklist,
                itemId,
                lastProven.getFirst());
        return firstLost.isEmpty() ? null : firstLost.getFirst();
    }

    void attest(Attestation a) {
        sql.update(
                "INSERT INTO checklist_attestation (" + ATTESTATION + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                a.id(),
                a.checklist(),
                a.itemId(),
                a.note(),
                a.by(),
                a.atMs(),
                a.expiresMs());
    }

    /** Attestations of a checklist, newest first. */
    List<Attestation> attestations(String checklist, int limit) {
        return sql.query(
                "SELECT " + ATTESTATION + " FROM checklist_attestation WHERE checklist = ?"
                        + " ORDER BY attested_ms DESC, id DESC",
                limit,
                rs -> new Attestation(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getLong(7)),
                checklist);
    }

    void requestWaiver(Waiver w) {
        sql.update(
                "INSERT INTO checklist_waiver (" + WAIVER + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                w.id(),
                w.checklist(),
                w.itemId(),
                w.reason(),
                w.requestedBy(),
                w.requestedMs(),
                w.expiresMs());
    }

    /** Approves a waiting waiver; false when it was approved already (or is unknown). */
    boolean approve(String id, String by, long atMs) {
        return sql.update(
                        "UPDATE checklist_waiver SET approved_by = ?, approved_ms = ? WHERE id = ? AND approved_by IS NULL",
                        by,
                        atMs,
                        id)
                == 1;
    }

    Optional<Waiver> waiver(String id) {
        return sql.first("SELECT " + WAIVER + " FROM checklist_waiver WHERE id = ?", ChecklistStore::waiver, id);
    }

    /** Waivers of a checklist, newest first. */
    List<Waiver> waivers(String checklist, int limit) {
        return sql.query(
                "SELECT " + WAIVER + " FROM checklist_waiver WHERE checklist = ? ORDER BY requested_ms DESC, id DESC",
                limit,
                ChecklistStore::waiver,
                checklist);
    }

    private static ChecklistRun run(ResultSet rs) throws SQLException {
        return new ChecklistRun(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getInt(8),
                rs.getInt(9) == 1);
    }

    private static ItemResult result(ResultSet rs) throws SQLException {
        String evidence = rs.getString(6);
        Map<String, Object> ev;
        try {
            ev = evidence == null ? Map.of() : Json.MAPPER.readValue(evidence, Json.OBJECT);
        } catch (Exception e) {
            ev = Map.of("unreadable", e.getMessage()); // never written by this class: say so rather than fail the page
        }
        return new ItemResult(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                ItemState.parse(rs.getString(4)),
                rs.getString(5),
                ev,
                rs.getLong(7),
                rs.getLong(8));
    }

    private static Waiver waiver(ResultSet rs) throws SQLException {
        return new Waiver(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getString(8),
                Sql.nullableLong(rs, 9));
    }
}
