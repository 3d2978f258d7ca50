package dev.opsdeck.incident;

import static dev.opsdeck.alert.AlertEvent.Severity.P1;
import static dev.opsdeck.alert.AlertEvent.Severity.P2;
import static dev.opsdeck.alert.AlertEvent.Severity.P3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.opsdeck.alert.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Response targets with a hand-moved clock, and MTTA/MTTR from the store in the API figures and in /metrics. */
abstract class SlaContract extends IncidentContract {
    @Test
    void anUnacknowledgedP1BreachesAfterFifteenMinutesOnce() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        clock.advance(Duration.ofMinutes(15));
        incidents.tick();
        assertThat(only().ackBreached()).as("due at 15 min, not yet past").isFalse();
        clock.advance(Duration.ofSeconds(1));
        incidents.tick();
        incidents.tick();
        Incident i = only();
        assertThat(i.ackBreached()).isTrue();
        assertThat(kinds(id)).filteredOn("sla_breached"::equals).hasSize(1);
        assertThat(notifier.templates())
                .filteredOn("incident.sla_breached"::equals)
                .hasSize(2);
        assertThat(notifier.keys()).contains("incident-" + id + "-sla_breached-2-ops");
        assertThat(registry.scrape()).contains("opsdeck_incident_sla_breaches_total 1.0");
    }

    @Test
    void aLateAcknowledgementIsABreachTooAndAnEarlyOneIsNot() {
        incidents.accept(firing("down", "api", "api", P2));
        incidents.acknowledge(only().id(), "alice");
        clock.advance(Duration.ofHours(2));
        incidents.tick();
        assertThat(only().ackBreached()).isFalse();

        incidents.accept(firing("down", "web", "web", P1));
        var web =
                incidents.list(new IncidentManager.Filter(null, "P1", null, 1)).getFirst();
        clock.advance(Duration.ofMinutes(20));
        assertThat(incidents.acknowledge(web.id(), "bob").ackBreached()).isTrue();
    }

    @Test
    void theResolveTargetIsTrackedWhereConfigured() {
        incidents.accept(firing("down", "api", "api", P1));
        clock.advance(Duration.ofMinutes(5));
        incidents.acknowledge(only().id(), "alice");
        clock.advance(Duration.ofMinutes(115)); // 2 h after opening: the P1 resolve target of this test's config
        incidents.tick();
        assertThat(only().resolveBreached()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        incidents.tick();
        Incident i = only();
        assertThat(i.resolveDueMs()).isEqualTo(START.plus(Duration.ofHours(2)).toEpochMilli());
        assertThat(i.resolveBreached()).isTrue();
        assertThat(i.ackBreached()).isFalse();
    }

    @Test
    void p4IsDueAtTheEndOfTheNextBusinessDay() {
        incidents.accept(firing("slow", "csv", "csv", AlertEvent.Severity.P4));
        assertThat(only().ackDueMs())
                .isEqualTo(Instant.parse("2025-06-06T00:00:00Z").toEpochMilli());
    }

    @Test
    void mttaAndMttrPerSeverityAndService() {
        // api P3: acked after 2 and 4 min, resolved after 10 and 20 min; web P1: acked after 1 min, open
        for (int minutes : new int[] {2, 4}) {
            incidents.accept(firing("down", "api", "api", P3));
            long id = incidents
                    .list(new IncidentManager.Filter("open", null, "api", 1))
                    .getFirst()
                    .id();
            clock.advance(Duration.ofMinutes(minutes));
            incidents.acknowledge(id, "alice");
            clock.advance(Duration.ofMinutes(minutes * 4L));
            incidents.resolve(id, "alice");
        }
        incidents.accept(firing("down", "web", "web", P1));
        clock.advance(Duration.ofMinutes(1));
        incidents.acknowledge(
                incidents
                        .list(new IncidentManager.Filter("open", null, "web", 1))
                        .getFirst()
                        .id(),
                "bob");

        IncidentStats stats = incidents.stats(Duration.ofDays(30));
        var p3 = stats.bySeverity().stream()
                .filter(f -> f.severity().equals("P3"))
                .findFirst()
                .orElseThrow();
        assertThat(p3.incidents()).isEqualTo(2);
        assertThat(p3.mttaSeconds()).isCloseTo(180.0, within(0.001));
        assertThat(p3.mttrSeconds()).isCloseTo(900.0, within(0.001));
        var web = stats.byService().stream()
                .filter(f -> "web".equals(f.service()))
                .findFirst()
                .orElseThrow();
        assertThat(web.mttaSeconds()).isCloseTo(60.0, within(0.001));
        assertThat(web.mttrSeconds()).isNull();
        assertThat(stats.open()).containsEntry("P1", 1L).containsEntry("P3", 0L);

        incidents.tick();
        String metrics = registry.scrape();
        assertThat(metrics)
                .contains("opsdeck_incident_mtta_seconds{service=\"api\",severity=\"P3\"} 180.0")
                .contains("opsdeck_incident_mttr_seconds{service=\"api\",severity=\"P3\"} 900.0")
                .contains("opsdeck_incidents_open{severity=\"P1\"} 1.0");
    }

    @Test
    void resolvedIncidentsCountAlsoWhenNobodyAcknowledgedThem() {
        // an outage over before anyone answered: resolved, never acknowledged
        AlertEvent fired = firing("down", "csv", "csv", P3);
        incidents.accept(fired);
        clock.advance(Duration.ofMinutes(6));
        incidents.accept(resolved(fired));

        IncidentStats stats = incidents.stats(Duration.ofDays(30));
        var p3 = stats.bySeverity().stream()
                .filter(f -> f.severity().equals("P3"))
                .findFirst()
                .orElseThrow();
        assertThat(p3.incidents()).isEqualTo(1);
        assertThat(p3.acknowledged()).isZero();
        assertThat(p3.mttaSeconds()).isNull();
        assertThat(p3.resolved()).isEqualTo(1);
        assertThat(p3.mttrSeconds()).isCloseTo(360.0, within(0.001));
        var csv = stats.byService().stream()
                .filter(f -> "csv".equals(f.service()))
                .findFirst()
                .orElseThrow();
        assertThat(csv.resolved()).isEqualTo(1);
    }
}
