package dev.opsdeck.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit log, on every backend (see the subclasses). */
abstract class AuditLogContract extends AuditContract {
    @Test
    void entriesComeBackNewestFirstWithEverythingRecorded() {
        seed();
        List<AuditLog.Entry> all = audit.query(AuditLog.Filter.latest(0));
        assertThat(all)
                .extracting(AuditLog.Entry::action)
                .containsExactly(
                        "auth.logout",
                        "config.reload",
                        "auth.login",
                        "auth.login_failed",
                        "apikey.create",
                        "auth.login");
        assertThat(all)
                .extracting(AuditLog.Entry::id)
                .isSortedAccordingTo((a, b) -> Long.compare(b, a))
                .doesNotHaveDuplicates();
        AuditLog.Entry reload = all.get(1);
        assertThat(reload)
                .isEqualTo(new AuditLog.Entry(
                        reload.id(),
                        T0 + 5 * 60_000,
                        "opsdeck",
                        "10.0.0.1",
                        "config.reload",
                        "config",
                        "ok",
                        Map.of("changed", List.of("checks"))));
    }

    @Test
    void filtersNarrowAndPageBackwards() {
        seed();
        assertThat(audit.query(filter("alice", null, null, null, null, 0, null)))
                .hasSize(3);
        assertThat(audit.query(filter(null, "auth.", null, null, null, 0, null)))
                .hasSize(4);
        assertThat(audit.query(filter(null, "auth.login", null, null, null, 0, null)))
                .as("a prefix")
                .hasSize(3);
        assertThat(audit.query(filter(null, "AUTH.", null, null, null, 0, null)))
                .as("case-sensitive everywhere")
                .isEmpty();
        assertThat(audit.query(filter(null, "auth%", null, null, null, 0, null)))
                .as("no LIKE wildcards")
                .isEmpty();
        assertThat(audit.query(filter(null, "auth._ogin", null, null, null, 0, null)))
                .isEmpty();
        assertThat(audit.query(filter("bob", "auth.login", "user:bob", null, null, 0, null)))
                .hasSize(2);
        assertThat(audit.query(filter(null, null, null, T0 + 2 * 60_000, T0 + 4 * 60_000, 0, null)))
                .extracting(AuditLog.Entry::action)
                .containsExactly("auth.login_failed", "apikey.create");
        List<AuditLog.Entry> page1 = audit.query(filter(null, null, null, null, null, 4, null));
        List<AuditLog.Entry> page2 = audit.query(
                filter(null, null, null, null, null, 4, page1.getLast().id()));
        assertThat(page1).hasSize(4);
        assertThat(page2).extracting(AuditLog.Entry::action).containsExactly("apikey.create", "auth.login");
    }

    @Test
    void injectionStringsInEveryFilterMatchNothingAndBreakNothing() {
        seed();
        String[] hostile = {INJECTION, "'; DROP TABLE audit_log; --", "\" OR \"\"=\"", "%", "_", "\\", "alice' --"};
        for (String h : hostile) {
            assertThat(audit.query(filter(h, null, null, null, null, 0, null)))
                    .as("actor %s", h)
                    .isEmpty();
            assertThat(audit.query(filter(null, h, null, null, null, 0, null)))
                    .as("action %s", h)
                    .isEmpty();
            assertThat(audit.query(filter(null, null, h, null, null, 0, null)))
                    .as("target %s", h)
                    .isEmpty();
        }
        record(INJECTION, INJECTION, INJECTION, Map.of(INJECTION, INJECTION));
        List<AuditLog.Entry> found = audit.query(filter(INJECTION, INJECTION, INJECTION, null, null, 0, null));
        assertThat(found).singleElement().satisfies(e -> assertThat(e.details()).containsEntry(INJECTION, INJECTION));
        assertThat(audit.query(AuditLog.Filter.latest(0))).hasSize(7);
    }

    @Test
    void secretsInDetailsAreScrubbedAtAnyDepth() {
        Map<String, Object> details = Map.of(
                "password",
                "hunter2",
                "newPassword",
                "hunter3",
                "api_key",
                "odk_x",
                "key_id",
                "1a2b3c4d",
                "key_name",
                "deploy",
                "headers",
                Map.of("Authorization", "Bearer abc", "Cookie", "opsdeck_session=xyz", "Accept", "text/html"),
                "steps",
                List.of(Map.of("client_secret", "s3", "name", "step 1")),
                "csrfToken",
                "t",
                "role",
                "admin");
        record("alice", "user.create", "user:bob", details);
        assertThat(storedDetails()).doesNotContain("hunter2", "hunter3", "odk_x", "Bearer abc", "xyz", "s3\"");
        Map<String, Object> stored =
                audit.query(AuditLog.Filter.latest(1)).getFirst().details();
        assertThat(stored)
                .containsEntry("password", "***")
                .containsEntry("newPassword", "***")
                .containsEntry("api_key", "***")
                .containsEntry("csrfToken", "***")
                .containsEntry("key_id", "1a2b3c4d")
                .containsEntry("key_name", "deploy")
                .containsEntry("role", "admin")
                .containsEntry("headers", Map.of("Authorization", "***", "Cookie", "***", "Accept", "text/html"))
                .containsEntry("steps", List.of(Map.of("client_secret", "***", "name", "step 1")));
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
        List<String> actions = new ArrayList<>();
        for (String line : few.toString().lines().toList())
            actions.add(JSON.readTree(line).get("action").asText());
        assertThat(actions).containsExactly("auth.login", "apikey.create");
    }

    @Test
    void aFailedWriteIsCountedAndLoggedNotThrown() {
        store.close();
        assertThat(audit.record("alice", "10.0.0.1", "user.create", "user:bob", AuditLog.OK, Map.of()))
                .isFalse();
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
        assertThat(Arrays.stream(AuditLog.class.getDeclaredMethods())
                        .filter(m -> Modifier.isPublic(m.getModifiers()))
                        .map(Method::getName))
                .containsExactlyInAnyOrder("record", "failedWrites", "query", "export");
    }
}
