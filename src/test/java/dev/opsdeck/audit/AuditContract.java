package dev.opsdeck.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.store.OnEachBackend;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** Base of the audit contract: a real store per backend, an empty log and a fixed time per test. */
abstract class AuditContract extends OnEachBackend {
    static final long T0 = Instant.parse("2025-06-01T08:00:00Z").toEpochMilli();
    static final String INJECTION = "' OR 1=1 --";
    static final ObjectMapper JSON = new ObjectMapper();

    long now;
    AuditLog audit;

    @Override
    protected List<String> reset() {
        return List.of("DELETE FROM audit_log");
    }

    @BeforeEach
    void wire() {
        now = T0;
        audit = new AuditLog(store, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
    }

    /** The stored details column, as text. */
    String storedDetails() {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT details FROM audit_log")) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) b.append(rs.getString(1));
            return b.toString();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Six entries a minute apart: two users, logins, a key, a reload. */
    void seed() {
        record("alice", "auth.login", "user:alice", Map.of());
        record("alice", "apikey.create", "apikey:1a2b3c4d", Map.of("key_id", "1a2b3c4d", "role", "viewer"));
        record("bob", "auth.login_failed", "user:bob", Map.of("reason", "bad credentials"));
        record("bob", "auth.login", "user:bob", Map.of());
        record("opsdeck", "config.reload", "config", Map.of("changed", List.of("checks")));
        record("alice", "auth.logout", "user:alice", Map.of());
    }

    void record(String actor, String action, String target, Map<String, Object> details) {
        now += 60_000; // the log as it is a minute later
        audit = new AuditLog(store, Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
        assertThat(audit.record(actor, "10.0.0.1", action, target, AuditLog.OK, details))
                .isTrue();
    }

    static AuditLog.Filter filter(
            String actor, String action, String target, Long since, Long until, int limit, Long before) {
        return new AuditLog.Filter(actor, action, target, since, until, limit, before);
    }
}
