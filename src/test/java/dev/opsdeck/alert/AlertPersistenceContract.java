package dev.opsdeck.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.Status;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert state survives a restart on every store backend: no second page, and the resolution still arrives. */
abstract class AlertPersistenceContract {
    private static final String YAML = """
            alerts:
              rules:
                SlowPing: {check: api/ping, when: "[RESPONSE_TIME] > 50ms", for: 5m, severity: P3}
            """ + AlertFixture.tcpChecks("api/ping", "api/other");

    @TempDir
    Path dir;

    TestDatabases.Backend backend;

    abstract TestDatabases.Backend newBackend();

    @BeforeEach
    void startBackend() {
        backend = newBackend();
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void aFiringAlertIsNotPagedAgainAfterARestartAndItsResolutionIsDelivered() throws Exception {
        try (Store store = backend.open()) {
            try (AlertFixture before = new AlertFixture(dir, YAML, store, null)) {
                before.down("api/ping");
                assertThat(before.events).hasSize(1);
            } // close commits the queued state
            try (AlertFixture after = new AlertFixture(dir, YAML, store, null)) {
                assertThat(after.engine.active(ActiveAlert.State.FIRING))
                        .singleElement()
                        .satisfies(a -> {
                            assertThat(a.name()).isEqualTo("api/ping");
                            assertThat(a.summary()).isEqualTo("api/ping is down: connection refused");
                            assertThat(a.labels()).containsEntry("service", "api");
                        });
                assertThat(after.metric("opsdeck.alerts.firing", "severity", "P2"))
                        .isEqualTo(1);
                after.down("api/ping");
                assertThat(after.events).isEmpty();
                after.up("api/ping");
                assertThat(after.events).singleElement().satisfies(e -> {
                    assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED);
                    assertThat(e.fingerprint()).isEqualTo(Fingerprints.ofCheck("api/ping"));
                });
            }
            try (AlertFixture third = new AlertFixture(dir, YAML, store, null)) {
                assertThat(third.engine.active(null)).isEmpty(); // the resolution was stored too
            }
        }
    }

    @Test
    void aPendingAlertKeepsItsStartAcrossARestart() throws Exception {
        try (Store store = backend.open()) {
            try (AlertFixture before = new AlertFixture(dir, YAML, store, null)) {
                before.result("api/ping", Status.UP, "ok", Map.of("RESPONSE_TIME", 80L));
                assertThat(before.engine.active(ActiveAlert.State.PENDING)).hasSize(1);
            }
            try (AlertFixture after = new AlertFixture(dir, YAML, store, null)) {
                after.clock.advance(Duration.ofMinutes(5));
                after.result("api/ping", Status.UP, "ok", Map.of("RESPONSE_TIME", 90L));
                assertThat(after.events).singleElement().satisfies(e -> {
                    assertThat(e.name()).isEqualTo("SlowPing");
                    assertThat(e.summary()).isEqualTo("SlowPing on api/ping: [RESPONSE_TIME]: 90 > 50ms");
                });
            }
        }
    }

    @Test
    void anAlertWhoseRuleIsRemovedIsResolvedAtTheNextApply() throws Exception {
        try (Store store = backend.open()) {
            try (AlertFixture before = new AlertFixture(dir, YAML, store, null)) {
                before.down("api/other");
            }
            String without = AlertFixture.tcpChecks("api/ping");
            try (AlertFixture after = new AlertFixture(dir, without, store, null)) {
                assertThat(after.events).singleElement().satisfies(e -> {
                    assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED);
                    assertThat(e.name()).isEqualTo("api/other");
                });
            }
        }
    }
}
