package dev.opsdeck.incident;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.store.OnEachBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the incident contracts: a real store per backend (a SQLite and a PostgreSQL subclass), empty incident
 * tables, a hand-moved clock, a recording notifier and channels {@code ops} and {@code pager} for every test.
 */
abstract class IncidentContract extends OnEachBackend {
    /** A Wednesday morning, so the P4 next-business-day target is Thursday's end. */
    static final Instant START = Instant.parse("2025-06-04T08:00:00Z");

    ManualClock clock;
    RecordingNotifier notifier;
    IncidentsConfig config;
    PrometheusMeterRegistry registry;
    IncidentManager incidents;

    @Override
    protected List<String> reset() {
        return List.of(
                "DELETE FROM incident_escalation",
                "DELETE FROM incident_notification",
                "DELETE FROM incident_timeline",
                "DELETE FROM incident_impact",
                "DELETE FROM incident_alert",
                "DELETE FROM incident");
    }

    @BeforeEach
    void wire() {
        clock = new ManualClock(START);
        notifier = new RecordingNotifier();
        IncidentsConfig d = IncidentsConfig.DEFAULTS;
        config = new IncidentsConfig(
                d.ack(),
                new IncidentsConfig.Sla(
                        IncidentsConfig.Target.of(Duration.ofHours(2)),
                        IncidentsConfig.Target.NONE,
                        IncidentsConfig.Target.NONE,
                        IncidentsConfig.Target.NONE),
                Duration.ofMinutes(30),
                ZoneId.of("UTC"),
                List.of("ops", "pager"),
                IncidentsConfig.Review.DEFAULTS);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        incidents =
                new IncidentManager(store, notifier, () -> config, () -> "https://opsdeck.example/", registry, clock);
    }

    /** A rule alert firing now about {@code service}, caused by {@code root}; suppressed when they differ. */
    AlertEvent firing(String name, String service, String root, AlertEvent.Severity severity) {
        return new AlertEvent(
                "rule:" + name + ":" + service,
                "rule",
                name,
                AlertEvent.State.FIRING,
                severity,
                service,
                root,
                List.of(),
                !service.equals(root),
                Map.of("service", service),
                service + " is down",
                null,
                "RB-00" + severity.ordinal(),
                clock.instant(),
                null);
    }

    AlertEvent resolved(AlertEvent fired) {
        return new AlertEvent(
                fired.fingerprint(),
                fired.source(),
                fired.name(),
                AlertEvent.State.RESOLVED,
                fired.severity(),
                fired.service(),
                fired.rootCause(),
                fired.impacted(),
                fired.suppressed(),
                fired.labels(),
                fired.summary(),
                fired.description(),
                fired.runbook(),
                clock.instant(),
                null);
    }

    Incident only() {
        List<Incident> all = incidents.list(new IncidentManager.Filter(null, null, null, 100));
        if (all.size() != 1) throw new AssertionError("expected one incident, got " + all);
        return all.getFirst();
    }

    List<String> kinds(long id) {
        return incidents.detail(id).orElseThrow().timeline().stream()
                .map(TimelineEntry::kind)
                .toList();
    }
}
