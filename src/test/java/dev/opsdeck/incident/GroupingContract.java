package dev.opsdeck.incident;

import static dev.opsdeck.alert.AlertEvent.Severity.P1;
import static dev.opsdeck.alert.AlertEvent.Severity.P2;
import static dev.opsdeck.alert.AlertEvent.Severity.P3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.alert.AlertEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One outage is one incident: grouping by root cause, suppressed dependents, deduplication, auto-resolve. */
abstract class GroupingContract extends IncidentContract {
    @Test
    void tenDependentsAndTheirRootCauseAreOneIncidentThatPagesOnce() {
        for (int i = 0; i < 10; i++) incidents.accept(firing("down", "app-" + i, "postgres", P2));
        assertThat(notifier.sent).as("dependents alone page nobody").isEmpty();
        incidents.accept(firing("down", "postgres", "postgres", P1));

        Incident i = only();
        assertThat(i.service()).isEqualTo("postgres");
        assertThat(i.severity()).isEqualTo("P1");
        assertThat(i.paged()).isTrue();
        assertThat(i.title()).isEqualTo("postgres is down");
        assertThat(i.runbook()).isEqualTo("RB-000");
        var detail = incidents.detail(i.id()).orElseThrow();
        assertThat(detail.impacted()).hasSize(10).contains("app-0", "app-9").doesNotContain("postgres");
        assertThat(detail.alerts()).hasSize(11);
        assertThat(detail.alerts().stream().filter(IncidentAlert::suppressed)).hasSize(10);
        assertThat(notifier.templates()).containsExactly("incident.triggered", "incident.triggered");
        assertThat(notifier.sent).extracting(RecordingNotifier.Sent::channel).containsExactly("ops", "pager");
    }

    @Test
    void theRootCauseFirstThenDependentsStillOnePage() {
        incidents.accept(firing("down", "postgres", "postgres", P2));
        incidents.accept(firing("down", "indexer", "postgres", P3));
        incidents.accept(firing("lag", "postgres", "postgres", P3));
        Incident i = only();
        assertThat(incidents.impacted(i.id())).containsExactly("indexer");
        assertThat(notifier.keys())
                .containsExactly(
                        "incident-" + i.id() + "-triggered-1-ops", "incident-" + i.id() + "-triggered-1-pager");
    }

    @Test
    void dependentsJoiningAfterThePageAreToldInOneUpdateNamingThem() {
        incidents.accept(
                firing("down", "postgres", "postgres", P1)); // the root cause pages at once: nothing impacted yet
        long id = only().id();
        assertThat(notifier.sent)
                .extracting(RecordingNotifier.Sent::template)
                .containsExactly("incident.triggered", "incident.triggered");
        assertThat(notifier.sent.getFirst().fields().get("impacted")).isEqualTo(List.of());

        clock.advance(Duration.ofMillis(40)); // its dependents fail milliseconds later, then one more
        incidents.accept(firing("down", "api", "postgres", P2));
        incidents.accept(firing("down", "indexer", "postgres", P2));
        clock.advance(Duration.ofSeconds(3));
        incidents.accept(firing("down", "web", "postgres", P2));
        incidents.tick();
        assertThat(notifier.sent)
                .as("held a moment, so that a burst is one update")
                .hasSize(2);

        clock.advance(Duration.ofSeconds(7)); // ten seconds after the first joined: the next beat hands it over
        incidents.tick();
        List<RecordingNotifier.Sent> updates = notifier.sent.subList(2, notifier.sent.size());
        assertThat(updates)
                .extracting(RecordingNotifier.Sent::key)
                .containsExactly("incident-" + id + "-impacted-2-ops", "incident-" + id + "-impacted-2-pager");
        assertThat(updates).allSatisfy(u -> {
            assertThat(u.template()).isEqualTo("incident.impacted");
            assertThat(u.fields())
                    .containsEntry("impacted", List.of("api", "indexer", "web"))
                    .containsEntry("summary", "now impacts api, indexer, web");
        });
        // a dependent firing again, or nothing new: no further update
        incidents.accept(firing("down", "api", "postgres", P2));
        clock.advance(Duration.ofMinutes(1));
        incidents.tick();
        assertThat(notifier.sent).hasSize(4);
        assertThat(incidents.impacted(id)).containsExactly("api", "indexer", "web");
    }

    @Test
    void aSilencedAlertStillFiringWhenTheSilenceEndsPagesOnce() {
        AlertEvent held = new AlertEvent(
                "rule:ApiDown:api",
                "rule",
                "ApiDown",
                AlertEvent.State.FIRING,
                P2,
                "api",
                "api",
                List.of(),
                true,
                Map.of("service", "api"),
                "api is down",
                null,
                null,
                clock.instant(),
                "silenced by silence #7");
        incidents.accept(held);
        long id = only().id();
        assertThat(notifier.sent).as("silenced: nobody paged").isEmpty();

        clock.advance(Duration.ofMinutes(30)); // the silence ends; the engine tells the alert again, not suppressed
        AlertEvent released = new AlertEvent(
                held.fingerprint(),
                "rule",
                "ApiDown",
                AlertEvent.State.FIRING,
                P2,
                "api",
                "api",
                List.of(),
                false,
                held.labels(),
                "api is down",
                null,
                null,
                held.at(),
                null);
        incidents.accept(released);
        incidents.accept(released); // told twice (a second node, a retry): still one page
        assertThat(notifier.templates()).containsExactly("incident.triggered", "incident.triggered");
        assertThat(only().paged()).isTrue();
        var detail = incidents.detail(id).orElseThrow();
        assertThat(detail.alerts())
                .singleElement()
                .satisfies(a -> assertThat(a.suppressed()).isFalse());
        assertThat(detail.timeline())
                .filteredOn(t -> t.kind().equals("alert_released"))
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.text())
                            .isEqualTo("ApiDown: api is down (still firing, no longer silenced by silence #7)");
                    assertThat(t.details()).containsEntry("held_by", "silenced by silence #7");
                });

        incidents.accept(resolved(released)); // resolves as usual
        assertThat(only().state()).isEqualTo(Incident.State.RESOLVED);
    }

    @Test
    void aHeldAlertReleasedIntoAnIncidentThatPagedAlreadyPagesNobodyAgain() {
        incidents.accept(firing("down", "db", "db", P1)); // pages
        AlertEvent held = new AlertEvent(
                "rule:Lag:db",
                "rule",
                "Lag",
                AlertEvent.State.FIRING,
                P3,
                "db",
                "db",
                List.of(),
                true,
                Map.of("service", "db"),
                "db lags",
                null,
                null,
                clock.instant(),
                "silenced by silence #8");
        incidents.accept(held);
        int before = notifier.sent.size();
        incidents.accept(new AlertEvent(
                held.fingerprint(),
                "rule",
                "Lag",
                AlertEvent.State.FIRING,
                P3,
                "db",
                "db",
                List.of(),
                false,
                held.labels(),
                "db lags",
                null,
                null,
                held.at(),
                null));
        assertThat(notifier.sent).hasSize(before);
        assertThat(incidents.detail(only().id()).orElseThrow().timeline())
                .filteredOn(t -> t.kind().equals("alert_released"))
                .extracting(TimelineEntry::text)
                .containsExactly(
                        "Lag: db lags (still firing, no longer silenced by silence #8; the incident has paged already)");
    }

    @Test
    void aRepeatedFiringEventIsDeduplicated() {
        AlertEvent e = firing("down", "redis", "redis", P3);
        incidents.accept(e);
        clock.advance(Duration.ofMinutes(1));
        incidents.accept(e);
        long id = only().id();
        assertThat(kinds(id)).containsExactly("state", "alert_fired", "notification", "notification");
        assertThat(notifier.sent).hasSize(2);
    }

    @Test
    void theTimelineSaysWhyASuppressedAlertDidNotPage() {
        AlertEvent f = firing("down", "indexer", "indexer", P3);
        incidents.accept(new AlertEvent(
                f.fingerprint(),
                f.source(),
                f.name(),
                f.state(),
                f.severity(),
                f.service(),
                f.rootCause(),
                f.impacted(),
                true,
                f.labels(),
                f.summary(),
                null,
                f.runbook(),
                f.at(),
                "silenced by silence #3"));
        long id = only().id();
        TimelineEntry fired = incidents.detail(id).orElseThrow().timeline().stream()
                .filter(t -> t.kind().equals("alert_fired"))
                .findFirst()
                .orElseThrow();
        assertThat(fired.text()).isEqualTo("down: indexer is down (not paged: silenced by silence #3)");
        assertThat(fired.details())
                .containsEntry("suppressed", true)
                .containsEntry("suppressed_by", "silenced by silence #3");
        assertThat(notifier.sent).isEmpty();
        incidents.accept(firing("down", "web", "indexer", P3)); // a dependent, told its reason by the engine: none here
        assertThat(incidents.detail(id).orElseThrow().timeline())
                .filteredOn(t -> t.kind().equals("alert_fired"))
                .last()
                .satisfies(t -> assertThat(t.text()).isEqualTo("down: web is down"));
    }

    @Test
    void differentRootCausesAreDifferentIncidents() {
        incidents.accept(firing("down", "postgres", "postgres", P1));
        incidents.accept(firing("down", "redis", "redis", P3));
        assertThat(incidents.list(new IncidentManager.Filter("open", null, null, 10)))
                .hasSize(2);
        assertThat(incidents.list(new IncidentManager.Filter(null, "P3", null, 10)))
                .extracting(Incident::service)
                .containsExactly("redis");
    }

    @Test
    void resolvesItselfWhenEveryAlertResolvedAndToldEvenForSuppressedOnes() {
        AlertEvent root = firing("down", "postgres", "postgres", P1);
        AlertEvent dependent = firing("down", "api", "postgres", P2);
        incidents.accept(dependent);
        incidents.accept(root);
        clock.advance(Duration.ofMinutes(5));
        incidents.accept(resolved(root));
        assertThat(only().state()).as("a dependent still fires").isEqualTo(Incident.State.TRIGGERED);
        incidents.accept(resolved(dependent));
        Incident i = only();
        assertThat(i.state()).isEqualTo(Incident.State.RESOLVED);
        assertThat(i.resolvedBy()).isEqualTo("opsdeck");
        assertThat(i.resolvedMs()).isEqualTo(START.plus(Duration.ofMinutes(5)).toEpochMilli());
        assertThat(notifier.templates()).containsSubsequence("incident.triggered", "incident.resolved");
        assertThat(notifier.keys()).contains("incident-" + i.id() + "-resolved-2-ops");
    }

    @Test
    void anIncidentOfSuppressedAlertsOnlyIsStillToldWhenItResolves() {
        AlertEvent dependent = firing("down", "api", "postgres", P2);
        incidents.accept(dependent);
        incidents.accept(resolved(dependent));
        assertThat(notifier.templates()).containsExactly("incident.resolved", "incident.resolved");
    }

    @Test
    void aFiringAlertAfterResolutionOpensANewIncident() {
        AlertEvent e = firing("down", "redis", "redis", P3);
        incidents.accept(e);
        incidents.accept(resolved(e));
        incidents.accept(e);
        List<Incident> all = incidents.list(new IncidentManager.Filter(null, null, null, 10));
        assertThat(all).extracting(Incident::state).containsExactly(Incident.State.TRIGGERED, Incident.State.RESOLVED);
    }

    @Test
    void aHigherSeverityAlertRaisesTheIncidentAndItsTarget() {
        incidents.accept(firing("slow", "api", "api", P3));
        incidents.accept(firing("down", "api", "api", P1));
        Incident i = only();
        assertThat(i.severity()).isEqualTo("P1");
        assertThat(i.ackDueMs()).isEqualTo(START.plus(Duration.ofMinutes(15)).toEpochMilli());
        assertThat(kinds(i.id())).contains("severity");
    }

    @Test
    void aBatchIsAllOrNothing() {
        List<AlertEvent> batch = new ArrayList<>();
        batch.add(firing("down", "redis", "redis", P3));
        // an id longer than the column would fail on PostgreSQL; a null name fails on both
        batch.add(new AlertEvent(
                "x",
                "alertmanager",
                null,
                AlertEvent.State.FIRING,
                P3,
                null,
                null,
                List.of(),
                false,
                null,
                null,
                null,
                null,
                clock.instant(),
                null));
        try {
            incidents.acceptAll(batch, "test");
        } catch (RuntimeException expected) {
            // the store refused the second event
        }
        assertThat(incidents.list(new IncidentManager.Filter(null, null, null, 10)))
                .isEmpty();
        assertThat(notifier.sent).isEmpty();
    }
}
