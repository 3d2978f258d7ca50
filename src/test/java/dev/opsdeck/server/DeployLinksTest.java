package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployState;
import dev.opsdeck.deploy.Dora;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link between deploy records and real incidents in a real store: the lines an incident's notifications carry
 * and the DORA figures, with the incident's impacted services counted as its services.
 */
class DeployLinksTest {
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final long MIN = 60_000;

    TestDatabases.Backend backend;
    Store store;
    ManualClock clock;
    IncidentManager incidents;
    final List<Map<String, Object>> sent = new ArrayList<>();
    final List<long[]> asked = new ArrayList<>();

    @BeforeEach
    void open() {
        backend = TestDatabases.sqlite();
        store = backend.open();
        clock = new ManualClock(START);
        AtomicLong ids = new AtomicLong();
        Notifier notifier = (channel, key, template, fields) -> {
            sent.add(fields);
            return ids.incrementAndGet();
        };
        IncidentsConfig d = IncidentsConfig.DEFAULTS;
        IncidentsConfig config =
                new IncidentsConfig(d.ack(), d.resolve(), d.ackTimeout(), d.timeZone(), List.of("ops"), d.review());
        incidents = new IncidentManager(store, notifier, () -> config, () -> null, new SimpleMeterRegistry(), clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        backend.close();
    }

    static Deploy deploy(String id, String service, DeployState state, long startMin, long endMin) {
        long s = START.toEpochMilli() + startMin * MIN, e = START.toEpochMilli() + endMin * MIN;
        return new Deploy(
                id,
                service,
                "production",
                "v-" + id,
                null,
                null,
                null,
                null,
                Deploy.SOURCE_CI,
                "ci",
                state,
                null,
                null,
                null,
                null,
                s,
                s,
                e,
                null);
    }

    AlertEvent firing(String service, String root) {
        return new AlertEvent(
                "rule:down:" + service,
                "rule",
                "down",
                AlertEvent.State.FIRING,
                AlertEvent.Severity.P1,
                service,
                root,
                List.of(),
                !service.equals(root),
                Map.of(),
                service + " is down",
                null,
                null,
                clock.instant(),
                null);
    }

    @Test
    void anIncidentNamesTheDeploysBeforeItAndTheyCountAgainstTheLastOne() {
        List<Deploy> deploys = List.of(
                deploy("old", "api", DeployState.SUCCEEDED, -2000, -1990), // requested more than a day before
                deploy("db1", "postgres", DeployState.SUCCEEDED, -50, -45),
                deploy("api1", "api", DeployState.SUCCEEDED, -20, -15),
                deploy("web1", "web", DeployState.SUCCEEDED, -10, -8));
        DeployLinks links = new DeployLinks(
                (from, to) -> {
                    asked.add(new long[] {from, to});
                    return deploys.stream()
                            .filter(d -> d.requestedMs() >= from && d.requestedMs() < to)
                            .toList();
                },
                incidents,
                clock);
        incidents.recentChangesFrom(links.recentChanges());

        incidents.accept(firing("postgres", "postgres"));
        assertThat(sent)
                .singleElement()
                .satisfies(f ->
                        assertThat(f).containsEntry("recent_changes", "postgres v-db1 deployed 45 min before, by ci"));
        assertThat(asked.getFirst())
                .containsExactly(START.toEpochMilli() - 60 * MIN - 1440 * MIN, START.toEpochMilli() + 1);
        clock.advance(Duration.ofSeconds(30));
        incidents.accept(firing("api", "postgres")); // impacted: the api's deploy is named and blamed too
        long id = incidents
                .list(new IncidentManager.Filter(null, null, null, 5))
                .getFirst()
                .id();
        assertThat(incidents.recentChanges(incidents.find(id).orElseThrow(), incidents.impacted(id)))
                .containsExactly(
                        "api v-api1 deployed 15 min before, by ci", "postgres v-db1 deployed 45 min before, by ci");

        clock.advance(Duration.ofMinutes(30));
        incidents.resolve(id, "alice");
        Dora.Result r = links.figures();
        assertThat(r.window().toMs()).isEqualTo(clock.millis());
        assertThat(r.overall().deploys()).isEqualTo(4);
        assertThat(r.failures()).extracting(Dora.Failure::deployId).containsExactlyInAnyOrder("api1", "db1");
        assertThat(r.byService().get("api").recovery().medianMs()).isEqualTo(45 * MIN + 30_000); // -15 to +30.5
        assertThat(links.metrics()).contains("opsdeck_deploy_change_failure_ratio{service=\"web\"} 0\n");
    }
}
