package dev.opsdeck.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The audit log, on every backend (see the subclasses). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditLogContract {
    static final long T0 = Instant.parse("2025-06-01T08:00:00Z").toEpochMilli();
    static final String INJECTION = "' OR 1=1 --";
    static final ObjectMapper JSON = new ObjectMapper();

    TestDatabases.Backend backend;
    Store store;
    final AtomicLong now = new AtomicLong();
    AuditLog audit;

    abstract TestDatabases.Backend newBackend();

    @BeforeAll
    void startBackend() {
        backend = newBackend();
    }

    @AfterAll
    void stopBackend() {
        backend.close();
    }

    @BeforeEach
    void open() throws SQLException {
        store = backend.open();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM audit_log");
        }
        now.set(T0);
        Clock clock = new Clock() {
            public Instant instant() { return Instant.ofEpochMilli(now.get()); }
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
        };
        audit = new AuditLog(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
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
        now.addAndGet(60_000);
        assertThat(audit.record(actor, "10.0.0.1", action, target, AuditLog.OK, details)).isTrue();
    }

    static AuditLog.Filter filter(String actor, String action, String target, Long since, Long until, int limit, Long before) {
        return new AuditLog.Filter(actor, action, target, since, until, limit, before);
    }

    @Test
    void entriesComeBackNewestFirstWithEverythingRecorded() {
        seed();
        List<AuditLog.Entry> all = audit.query(AuditLog.Filter.latest(0));
        assertThat(all).extracting(AuditLog.Entry::action).containsExactly("auth.logout", "config.reload",
                "auth.login", "auth.login_failed", "apikey.create", "auth.login");
        assertThat(all).extracting(AuditLog.Entry::id).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        AuditLog.Entry reload = all.get(1);
        assertThat(reload).isEqualTo(new AuditLog.Entry(reload.id(), T0 + 5 * 60_000, "opsdeck", "10.0.0.1",
                "config.reload", "config", "ok", Map.of("changed", List.of("checks"))));
    }

    @Test
    void filtersNarrowAndPageBackwards() {
        seed();
        assertThat(audit.query(filter("alice", null, null, null, null, 0, null))).hasSize(3);
        assertThat(audit.query(filter(null, "auth.", null, null, null, 0, null))).hasSize(4);
        assertThat(audit.query(filter(null, "auth.login", null, null, null, 0, null))).as("a prefix").hasSize(3);
        assertThat(audit.query(filter(null, "AUTH.", null, null, null, 0, null))).as("case-sensitive everywhere").isEmpty();
        assertThat(audit.query(filter(null, "auth%", null, null, null, 0, null))).as("no LIKE wildcards").isEmpty();
        assertThat(audit.query(filter(null, "auth._ogin", null, null, null, 0, null))).isEmpty();
        assertThat(audit.query(filter("bob", "auth.login", "user:bob", null, null, 0, null))).hasSize(2);
        assertThat(audit.query(filter(null, null, null, T0 + 2 * 60_000, T0 + 4 * 60_000, 0, null)))
                .extracting(AuditLog.Entry::action).containsExactly("auth.login_failed", "apikey.create");
        List<AuditLog.Entry> page1 = audit.query(filter(null, null, null, null, null, 4, null));
        List<AuditLog.Entry> page2 = audit.query(filter(null, null, null, null, null, 4, page1.getLast().id()));
        assertThat(page1).hasSize(4);
        assertThat(page2).extracting(AuditLog.Entry::action).containsExactly("apikey.create", "auth.login");
    }

    @Test
    void injectionStringsInEveryFilterMatchNothingAndBreakNothing() {
        seed();
        String[] hostile = {INJECTION, "'; DROP TABLE audit_log; --", "\" OR \"\"=\"", "%", "_", "\\", "alice' --"};
        for (String h : hostile) {
            assertThat(audit.query(filter(h, null, null, null, null, 0, null))).as("actor %s", h).isEmpty();
            assertThat(audit.query(filter(null, h, null, null, null, 0, null))).as("action %s", h).isEmpty();
            assertThat(audit.query(filter(null, null, h, null, null, 0, null))).as("target %s", h).isEmpty();
        }
        record(INJECTION, INJECTION, INJECTION, Map.of(INJECTION, INJECTION));
        List<AuditLog.Entry> found = audit.query(filter(INJECTION, INJECTION, INJECTION, null, null, 0, null));
        assertThat(found).singleElement().satisfies(e -> assertThat(e.details()).containsEntry(INJECTION, INJECTION));
        assertThat(audit.query(AuditLog.Filter.latest(0))).hasSize(7);
    }

    @Test
    void secretsInDetailsAreScrubbedAtAnyDepth() {
        Map<String, Object> details = Map.of("password", "hunter2", "newPassword", "hunter3", "api_key", "odk_x",
                "key_id", "1a2b3c4d", "key_name", "deploy", "headers", Map.of("Authorization", "Bearer abc",
                        "Cookie", "opsdeck_session=xyz", "Accept", "text/html"),
                "steps", List.of(Map.of("client_secret", "s3", "name", "step 1")), "csrfToken", "t", "role", "admin");
        record("alice", "user.create", "user:bob", details);
        Map<String, Object> stored = audit.query(AuditLog.Filter.latest(1)).getFirst().details();
        assertThat(stored).containsEntry("password", "***").containsEntry("newPassword", "***")
                .containsEntry("api_key", "***").containsEntry("csrfToken", "***").containsEntry("key_id", "1a2b3c4d")
                .containsEntry("key_name", "deploy").containsEntry("role", "admin")
                .containsEntry("headers", Map.of("Authorization", "***", "Cookie", "***", "Accept", "text/html"))
                .containsEntry("steps", List.of(Map.of("client_secret", "***", "name", "step 1")));
        StringWriter out = new StringWriter();
        try {
            audit.export(AuditLog.Filter.latest(0), out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(out.toString()).doesNotContain("hunter2", "hunter3", "odk_x", "Bearer abc", "xyz", "s3\"");
    }

    @Test
    void exportWritesOneParsableJsonObjectPerLineOldestFirst() throws Exception {
        seed();
        for (int i = 0; i < 300; i++) record("bulk", "incident.ack", "incident:" + i, Map.of("n", i));
        StringWriter out = new StringWriter();
        audit.export(filter(null, "incident.", null, null, null, 0, null), out);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(300);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertThat(line.get("target").asText()).isEqualTo("incident:" + i);
            assertThat(line.get("details").get("n").asInt()).isEqualTo(i);
            assertThat(line.get("actor").asText()).isEqualTo("bulk");
        }
        StringWriter few = new StringWriter();
        audit.export(filter("alice", null, null, null, null, 2, null), few);
        assertThat(few.toString().lines().map(l -> {
            try {
                return JSON.readTree(l).get("action").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        })).containsExactly("auth.login", "apikey.create");
    }

    @Test
    void aFailedWriteIsCountedAndLoggedNotThrown() {
        store.close();
        assertThat(audit.record("alice", "10.0.0.1", "user.create", "user:bob", AuditLog.OK, Map.of())).isFalse();
        assertThat(audit.failedWrites()).isEqualTo(1);
        store = backend.open();
    }

    @Test
    void concurrentWritersGetDistinctIncreasingIds() throws Exception {
        Thread[] writers = new Thread[4];
        for (int t = 0; t < writers.length; t++) {
            int n = t;
            writers[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 25; i++) audit.record("w" + n, null, "incident.ack", null, AuditLog.OK, null);
            });
        }
        for (Thread t : writers) t.join();
        List<AuditLog.Entry> all = audit.query(AuditLog.Filter.latest(1000));
        assertThat(all).hasSize(100).extracting(AuditLog.Entry::id).doesNotHaveDuplicates();
        assertThat(audit.failedWrites()).isZero();
        assertThat(all.getFirst().details()).isEmpty();
    }

    @Test
    void thereIsNoWayToChangeOrDeleteAnEntry() {
        assertThat(Arrays.stream(AuditLog.class.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName)).containsExactlyInAnyOrder("record", "failedWrites", "query", "export");
    }
}
