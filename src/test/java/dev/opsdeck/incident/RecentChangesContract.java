package dev.opsdeck.incident;

import static dev.opsdeck.alert.AlertEvent.Severity.P1;
import static dev.opsdeck.alert.AlertEvent.Severity.P2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.alert.AlertEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The changes an incident names: asked of the {@link RecentChanges} seam with the incident's services and its opening
 * time, carried by every notification as {@code recent_changes}, and never in the way of a page.
 */
abstract class RecentChangesContract extends IncidentContract {
    record Asked(Set<String> services, long openedMs) {}

    final List<Asked> asked = new CopyOnWriteArrayList<>();

    RecentChanges answering(String... lines) {
        return (services, openedMs) -> {
            asked.add(new Asked(services, openedMs));
            return List.of(lines);
        };
    }

    @Test
    void everyNotificationNamesTheChangesBeforeTheIncidentOpened() {
        incidents.recentChangesFrom(answering(
                "postgres v16.3 deployed 12 min before, by ci",
                "api v1.4.0 deployed 40 min before, by alice (rolled back)"));
        incidents.accept(firing("down", "postgres", "postgres", P1));
        Incident opened = only();
        String both =
                "postgres v16.3 deployed 12 min before, by ci; api v1.4.0 deployed 40 min before, by alice (rolled back)";
        assertThat(notifier.sent)
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.fields()).containsEntry("recent_changes", both));
        assertThat(asked).containsExactly(new Asked(Set.of("postgres"), START.toEpochMilli()));

        clock.advance(Duration.ofMinutes(5)); // a dependent joins: asked again, with it, still from the opening
        incidents.accept(firing("down", "api", "postgres", P2));
        clock.advance(Duration.ofSeconds(11));
        incidents.tick();
        incidents.acknowledge(opened.id(), "alice");
        assertThat(notifier.templates())
                .containsExactly(
                        "incident.triggered",
                        "incident.triggered",
                        "incident.impacted",
                        "incident.impacted",
                        "incident.acknowledged",
                        "incident.acknowledged");
        assertThat(notifier.sent).allSatisfy(s -> assertThat(s.fields()).containsEntry("recent_changes", both));
        assertThat(asked.getLast()).isEqualTo(new Asked(Set.of("postgres", "api"), START.toEpochMilli()));
        // the incident page asks the same way
        Incident now = incidents.find(opened.id()).orElseThrow();
        assertThat(incidents.recentChanges(now, incidents.impacted(now.id())))
                .containsExactly(
                        "postgres v16.3 deployed 12 min before, by ci",
                        "api v1.4.0 deployed 40 min before, by alice (rolled back)");
    }

    @Test
    void withoutASourceOrWithoutChangesNothingIsAdded() {
        incidents.accept(firing("down", "api", "api", P1));
        assertThat(notifier.sent)
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.fields()).doesNotContainKey("recent_changes"));
        assertThat(incidents.recentChanges(only(), List.of())).isEmpty();

        incidents.recentChangesFrom(answering());
        incidents.acknowledge(only().id(), "alice");
        assertThat(notifier.sent)
                .hasSize(4)
                .allSatisfy(s -> assertThat(s.fields()).doesNotContainKey("recent_changes"));
    }

    @Test
    void aSourceThatFailsNamesNothingAndThePageStillGoesOut() {
        incidents.recentChangesFrom((services, openedMs) -> {
            throw new IllegalStateException("deploy records unreachable");
        });
        incidents.accept(firing("down", "api", "api", P1));
        Incident opened = only();
        assertThat(opened.state()).isEqualTo(Incident.State.TRIGGERED);
        assertThat(notifier.keys())
                .containsExactly(
                        "incident-" + opened.id() + "-triggered-1-ops",
                        "incident-" + opened.id() + "-triggered-1-pager");
        assertThat(notifier.sent).allSatisfy(s -> assertThat(s.fields()).doesNotContainKey("recent_changes"));
        assertThat(incidents.recentChanges(opened, List.of())).isEmpty();
    }

    @Test
    void anIncidentWithoutAServiceIsAskedAboutNoServiceAndStillNamesWhatItGets() {
        asked.clear(); // one instance serves every test of the class
        incidents.recentChangesFrom(answering("api v1.4.0 deployed 3 min before, by ci"));
        // the certificate inventory's alerts belong to no service
        incidents.accept(new AlertEvent(
                "certificate/web",
                "certificate",
                "CertificateExpiring",
                AlertEvent.State.FIRING,
                P2,
                null,
                null,
                List.of(),
                false,
                Map.of("certificate", "web"),
                "certificate web: expires within 14 days",
                null,
                null,
                clock.instant(),
                null));
        Incident opened = only();
        assertThat(asked).containsExactly(new Asked(Set.of(), START.toEpochMilli()));
        assertThat(notifier.sent)
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.fields())
                        .containsEntry("recent_changes", "api v1.4.0 deployed 3 min before, by ci"));
        assertThat(incidents.recentChanges(opened, List.of("api")))
                .containsExactly("api v1.4.0 deployed 3 min before, by ci");
        assertThat(asked.getLast()).isEqualTo(new Asked(Set.of("api"), START.toEpochMilli()));
    }
}
