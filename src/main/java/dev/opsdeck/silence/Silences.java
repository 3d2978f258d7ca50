package dev.opsdeck.silence;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.Suppression;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Counters;
import dev.opsdeck.store.Store;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Silences in the store, and the {@link Suppression} the alert engine asks when an alert fires. The engine asks
 * under its own lock, so the answer comes from an in-memory copy of the silences not yet ended, refreshed after
 * every change here; time windows are judged against the clock at each question.
 */
public final class Silences implements Suppression {
    public static final Duration MAX_LENGTH = Duration.ofDays(30);
    private static final TypeReference<List<Map<String, String>>> MATCHERS = new TypeReference<>() {};
    private static final String COLUMNS = "id, matchers, starts_ms, ends_ms, creator, comment, created_ms, expired_by";

    private final Store store;
    private final Clock clock;
    private volatile List<Silence> unended = List.of();
    private volatile Runnable onEnded = () -> {};

    public Silences(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        refresh();
    }

    /**
     * Creates a silence. {@code startsAt} null: now. Exactly one of {@code endsAt} and {@code duration}; the silence
     * lasts at most {@link #MAX_LENGTH} and must end in the future.
     */
    public Silence create(
            List<Matcher> matchers,
            Instant startsAt,
            Instant endsAt,
            Duration duration,
            String creator,
            String comment) {
        long now = clock.millis();
        if (matchers == null || matchers.isEmpty()) throw new InvalidSilence("matchers: at least one is required");
        if (matchers.size() > 20) throw new InvalidSilence("matchers: at most 20; got " + matchers.size());
        if (comment == null || comment.isBlank())
            throw new InvalidSilence("comment: required (say why, e.g. the deploy)");
        if (comment.length() > 2000) throw new InvalidSilence("comment: longer than 2000 characters");
        if ((endsAt == null) == (duration == null))
            throw new InvalidSilence("ends_at: give either ends_at or duration");
        long starts = startsAt == null ? now : startsAt.toEpochMilli();
        long ends = endsAt != null ? endsAt.toEpochMilli() : starts + duration.toMillis();
        String field = endsAt != null ? "ends_at" : "duration";
        if (ends <= starts) throw new InvalidSilence(field + ": the silence must end after it starts");
        if (ends <= now) throw new InvalidSilence(field + ": the silence would end in the past");
        if (ends - starts > MAX_LENGTH.toMillis()) {
            throw new InvalidSilence(field + ": a silence lasts at most 30d; got "
                    + Duration.ofMillis(ends - starts).toHours() + "h");
        }
        String matchersJson = json(matchers);
        Silence s = store.inTransaction("silence", c -> {
            long id = nextId(c);
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO silence (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")) {
                ps.setLong(1, id);
                ps.setString(2, matchersJson);
                ps.setLong(3, starts);
                ps.setLong(4, ends);
                ps.setString(5, creator);
                ps.setString(6, comment);
                ps.setLong(7, now);
                ps.executeUpdate();
            }
            return find(c, id).orElseThrow();
        });
        refresh();
        return s;
    }

    /**
     * Runs after a silence is expired by hand, so that the alerts it held that still fire page at once (the alert
     * engine's {@code releaseEnded}; silences that expire on time are seen by its beat).
     */
    public void onEnded(Runnable r) {
        onEnded = r;
    }

    /** Ends a silence now, keeping its record; one already expired is returned unchanged. Empty: no such silence. */
    public Optional<Silence> expire(long id, String actor) {
        long now = clock.millis();
        Optional<Silence> out = store.inTransaction("silence", c -> {
            Optional<Silence> s = find(c, id);
            if (s.isEmpty() || s.get().state(now) == Silence.State.EXPIRED) return s;
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE silence SET ends_ms = ?, starts_ms = ?, expired_by = ? WHERE id = ?")) {
                ps.setLong(1, now);
                ps.setLong(2, Math.min(now, s.get().startsMs())); // a pending one ended before it began
                ps.setString(3, actor);
                ps.setLong(4, id);
                ps.executeUpdate();
            }
            return find(c, id);
        });
        refresh();
        onEnded.run();
        return out;
    }

    public Optional<Silence> find(long id) {
        return store.read("silence", c -> find(c, id));
    }

    /** Newest first; {@code state} null for all. */
    public List<Silence> list(Silence.State state) {
        long now = clock.millis();
        List<Silence> all =
                store.read("silence", c -> query(c, "SELECT " + COLUMNS + " FROM silence ORDER BY id DESC"));
        return state == null
                ? all
                : all.stream().filter(s -> s.state(now) == state).toList();
    }

    /** The first active silence matching the alert, if any. */
    public Optional<Silence> matching(
            String service, String name, AlertEvent.Severity severity, Map<String, String> labels) {
        long now = clock.millis();
        String sev = severity == null ? null : severity.name();
        for (Silence s : unended) {
            if (s.state(now) == Silence.State.ACTIVE && s.matches(service, name, sev, labels)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** "silenced by silence #N" for the first active silence matching the alert; null when none does. */
    @Override
    public String reason(String service, String name, AlertEvent.Severity severity, Map<String, String> labels) {
        return matching(service, name, severity, labels)
                .map(s -> "silenced by silence #" + s.id())
                .orElse(null);
    }

    private void refresh() {
        long now = clock.millis();
        unended = store.read(
                "silence",
                c -> query(c, "SELECT " + COLUMNS + " FROM silence WHERE ends_ms > " + now + " ORDER BY id"));
    }

    private static long nextId(Connection c) throws SQLException {
        return Counters.next(c, "silence_sequence", "silence");
    }

    private static Optional<Silence> find(Connection c, long id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM silence WHERE id = " + id).stream()
                .findFirst();
    }

    private static List<Silence> query(Connection c, String sql) throws SQLException {
        List<Silence> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Silence(
                        rs.getLong("id"),
                        matchers(rs.getString("matchers")),
                        rs.getLong("starts_ms"),
                        rs.getLong("ends_ms"),
                        rs.getString("creator"),
                        rs.getString("comment"),
                        rs.getLong("created_ms"),
                        rs.getString("expired_by")));
            }
        }
        return out;
    }

    private static String json(List<Matcher> matchers) {
        return Json.write(matchers.stream().map(Matcher::view).toList());
    }

    private static List<Matcher> matchers(String json) {
        try {
            return Json.MAPPER.readValue(json, MATCHERS).stream()
                    .map(m -> new Matcher(m.get("name"), m.get("op"), m.get("value")))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable silence matchers: " + e.getMessage(), e);
        }
    }
}
