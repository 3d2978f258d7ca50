package dev.opsdeck.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The outbox table. Every state change is one short statement or transaction, committed before the worker
 * acts on it: a row exists before a send is tried, and is marked delivered right after the receiver's 2xx.
 * Reads run outside transactions (on SQLite a transaction takes the write lock).
 */
final class OutboxStore {
    private static final String COLUMNS =
            "id, channel, idempotency_key, template, fields, status, attempts, created_ms,"
                    + " next_attempt_ms, last_attempt_ms, delivered_ms, last_error";

    private final Store store;
    private final Sql sql;

    OutboxStore(Store store) {
        this.store = store;
        this.sql = new Sql(store, "outbox");
    }

    /**
     * One message to write. {@code leaseMs} greater than zero: a delivery slot is reserved for it, so a new row
     * is written already claimed for its first attempt (attempt 1, due again at its lease's end, exactly as
     * {@link #claim} would leave it) and needs no claim transaction of its own.
     */
    record NewRow(String channel, String key, String template, Map<String, Object> fields, long leaseMs) {}

    /** What writing a message found: the row's id, and the claimed attempt when the row is new and was claimed. */
    record Inserted(long id, Delivery claimed) {}

    /** Writes a pending row, or finds the row already written under this key; returns its id. */
    long insert(String channel, String key, String template, Map<String, Object> fields, long nowMs) {
        return insert(List.of(new NewRow(channel, key, template, fields, 0)), nowMs)
                .getFirst()
                .id();
    }

    /** Writes the rows (or finds those already written under their keys) in one transaction: one commit for all. */
    List<Inserted> insert(List<NewRow> rows, long nowMs) {
        List<String> json = new ArrayList<>();
        for (NewRow r : rows) {
            try {
                json.add(Json.MAPPER.writeValueAsString(r.fields()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("fields cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return sql.transaction(c -> {
            List<Inserted> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                NewRow r = rows.get(i);
                // the counter's row lock comes first, so two nodes enqueueing one key queue here and the second
                // finds the first's row instead of failing on the unique key
                Sql.update(c, "UPDATE outbox_sequence SET value = value + 1 WHERE name = 'outbox'");
                Optional<Long> existing =
                        Sql.first(c, "SELECT id FROM outbox WHERE idempotency_key = ?", rs -> rs.getLong(1), r.key());
                if (existing.isPresent()) {
                    out.add(new Inserted(existing.get(), null));
                    continue;
                }
                long id = Sql.first(c, "SELECT value FROM outbox_sequence WHERE name = 'outbox'", rs -> rs.getLong(1))
                        .orElseThrow();
                boolean claim = r.leaseMs() > 0;
                long next = claim ? nowMs + r.leaseMs() : nowMs;
                Sql.update(
                        c,
                        "INSERT INTO outbox (" + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, NULL, NULL)",
                        id,
                        r.channel(),
                        r.key(),
                        r.template(),
                        json.get(i),
                        claim ? 1 : 0,
                        nowMs,
                        next,
                        claim ? nowMs : null);
                out.add(new Inserted(
                        id,
                        claim
                                ? new Delivery(
                                        id,
                                        r.channel(),
                                        r.key(),
                                        r.template(),
                                        r.fields(),
                                        "pending",
                                        1,
                                        nowMs,
                                        next,
                                        nowMs,
                                        null,
                                        null)
                                : null));
            }
            return out;
        });
    }

    /**
     * Records a message the local spool finished (delivered, or failed past its horizon) as a finished row under
     * its key, so the outbox never attempts it; a row already written under the key is left as it is. Returns
     * the row's id.
     */
    long record(PageSpool.Entry e) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(e.fields());
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("fields cannot be written as JSON: " + ex.getOriginalMessage(), ex);
        }
        return sql.transaction(c -> {
            Sql.update(c, "UPDATE outbox_sequence SET value = value + 1 WHERE name = 'outbox'");
            Optional<Long> existing =
                    Sql.first(c, "SELECT id FROM outbox WHERE idempotency_key = ?", rs -> rs.getLong(1), e.key());
            if (existing.isPresent()) return existing.get();
            long id = Sql.first(c, "SELECT value FROM outbox_sequence WHERE name = 'outbox'", rs -> rs.getLong(1))
                    .orElseThrow();
            Sql.update(
                    c,
                    "INSERT INTO outbox (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id,
                    e.channel(),
                    e.key(),
                    e.template(),
                    json,
                    e.deliveredMs() != null ? Delivery.DELIVERED : Delivery.FAILED,
                    e.attempts(),
                    e.createdMs(),
                    e.nextAttemptMs(),
                    e.attempts() > 0 ? e.nextAttemptMs() : null,
                    e.deliveredMs(),
                    cut(e.lastError()));
            return id;
        });
    }

    /**
     * Takes due rows for an attempt: counts the attempt and moves {@code next_attempt_ms} past its lease, in one
     * transaction. {@code take} picks among the candidates (per-channel limits). On PostgreSQL the candidates
     * are locked with SKIP LOCKED, so nodes sharing the store never claim the same row; the conditional
     * update keeps that true even without the lock.
     */
    List<Delivery> claim(long nowMs, int limit, Predicate<Delivery> take, ToLongFunction<Delivery> leaseMs) {
        String lock = store.embedded() ? "" : " FOR UPDATE SKIP LOCKED";
        // light (no wait for the disk): other nodes see the claim at once; losing it to a power cut only makes
        // the row due again sooner, and the receiver's idempotency key covers a repeat. A burst of pages made two
        // disk flushes per message (claim, then delivered); now the delivered mark is the only one, and it makes
        // the claims before it durable too.
        return store.inLightTransaction("outbox", c -> {
            List<Delivery> candidates = Sql.query(
                    c,
                    "SELECT " + COLUMNS + " FROM outbox WHERE status = 'pending'"
                            + " AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT ?" + lock,
                    OutboxStore::row,
                    nowMs,
                    limit * 4);
            List<Delivery> claimed = new ArrayList<>();
            for (Delivery d : candidates) {
                if (claimed.size() >= limit || !take.test(d)) continue;
                long lease = nowMs + leaseMs.applyAsLong(d);
                int n = Sql.update(
                        c,
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_attempt_ms = ?"
                                + " WHERE id = ? AND status = 'pending' AND attempts = ?",
                        lease,
                        nowMs,
                        d.id(),
                        d.attempts());
                if (n == 1)
                    claimed.add(new Delivery(
                            d.id(),
                            d.channel(),
                            d.idempotencyKey(),
                            d.template(),
                            d.fields(),
                            d.status(),
                            d.attempts() + 1,
                            d.createdMs(),
                            lease,
                            nowMs,
                            null,
                            d.lastError()));
            }
            return claimed;
        });
    }

    /** The receivers acknowledged: whatever attempt it was, each message is delivered. One transaction for all. */
    void delivered(List<DeliveredMarks.Mark> marks) {
        sql.transaction(c -> {
            Sql.batch(
                    c,
                    "UPDATE outbox SET status = 'delivered', delivered_ms = ?,"
                            + " last_error = NULL WHERE id = ? AND status = 'pending'",
                    marks.stream().map(m -> new Object[] {m.atMs(), m.id()}).toList());
            return null;
        });
    }

    /** Attempt {@code attempt} failed; try again at {@code nextMs} (ignored when a later attempt took the row). */
    void retry(long id, int attempt, long nextMs, String error) {
        sql.update(
                "UPDATE outbox SET next_attempt_ms = ?, last_error = ? WHERE id = ?"
                        + " AND status = 'pending' AND attempts = ?",
                nextMs,
                cut(error),
                id,
                attempt);
    }

    /** Attempt {@code attempt} failed and no retry fits in the horizon. */
    boolean failed(long id, int attempt, String error) {
        return sql.update(
                        "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?"
                                + " AND status = 'pending' AND attempts = ?",
                        cut(error),
                        id,
                        attempt)
                == 1;
    }

    Optional<Delivery> find(long id) {
        return sql.first("SELECT " + COLUMNS + " FROM outbox WHERE id = ?", OutboxStore::row, id);
    }

    /** Every message whose key starts with {@code prefix} (taken literally), oldest first. */
    List<Delivery> byKeyPrefix(String prefix) {
        String like = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return sql.query(
                "SELECT " + COLUMNS + " FROM outbox WHERE idempotency_key LIKE ? ESCAPE '!' ORDER BY id",
                OutboxStore::row,
                like);
    }

    /** The notification log, newest first; null filters match everything. */
    List<Delivery> log(String status, String channel, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (status != null) where.append(" AND status = ?");
        if (channel != null) where.append(" AND channel = ?");
        for (Object a : new Object[] {status, channel, limit}) if (a != null) args.add(a);
        return sql.query(
                "SELECT " + COLUMNS + " FROM outbox" + where + " ORDER BY id DESC LIMIT ?",
                OutboxStore::row,
                args.toArray());
    }

    long pending() {
        return sql.first("SELECT COUNT(*) FROM outbox WHERE status = 'pending'", rs -> rs.getLong(1))
                .orElse(0L);
    }

    private static Delivery row(ResultSet rs) throws SQLException {
        Map<String, Object> fields;
        try {
            fields = Json.MAPPER.readValue(rs.getString("fields"), Json.OBJECT);
        } catch (JsonProcessingException e) {
            throw new SQLException("outbox row " + rs.getLong("id") + " has unreadable fields", e);
        }
        return new Delivery(
                rs.getLong("id"),
                rs.getString("channel"),
                rs.getString("idempotency_key"),
                rs.getString("template"),
                fields,
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getLong("created_ms"),
                rs.getLong("next_attempt_ms"),
                Sql.nullableLong(rs, "last_attempt_ms"),
                Sql.nullableLong(rs, "delivered_ms"),
                rs.getString("last_error"));
    }

    private static String cut(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 497) + "...";
    }
}
