package dev.opsdeck.incident;

import static dev.opsdeck.alert.AlertEvent.Severity.P1;
import static dev.opsdeck.alert.AlertEvent.Severity.P3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** States with who and when, reopen, notes and assignment, the ack timeout, and notices that survive outbox errors. */
abstract class LifecycleContract extends IncidentContract {
    @Test
    void acknowledgeThenResolveRecordsWhoAndWhen() {
        incidents.accept(firing("down", "api", "api", P3));
        long id = only().id();
        clock.advance(Duration.ofMinutes(3));
        Incident acked = incidents.acknowledge(id, "alice");
        assertThat(acked.state()).isEqualTo(Incident.State.ACKNOWLEDGED);
        assertThat(acked.ackedBy()).isEqualTo("alice");
        assertThat(acked.firstAckedMs())
                .isEqualTo(START.plus(Duration.ofMinutes(3)).toEpochMilli());
        clock.advance(Duration.ofMinutes(7));
        Incident resolved = incidents.resolve(id, "bob");
        assertThat(resolved.resolvedBy()).isEqualTo("bob");
        assertThat(resolved.resolvedMs())
                .isEqualTo(START.plus(Duration.ofMinutes(10)).toEpochMilli());
        List<TimelineEntry> states = incidents.detail(id).orElseThrow().timeline().stream()
                .filter(t -> t.kind().equals("state"))
                .toList();
        assertThat(states).extracting(TimelineEntry::actor).containsExactly("rule", "alice", "bob");
        assertThat(states)
                .extracting(t -> t.details().get("to"))
                .containsExactly("triggered", "acknowledged", "resolved");
        assertThat(notifier.keys())
                .containsExactly(
                        "incident-" + id + "-triggered-1-ops",
                        "incident-" + id + "-triggered-1-pager",
                        "incident-" + id + "-acknowledged-2-ops",
                        "incident-" + id + "-acknowledged-2-pager",
                        "incident-" + id + "-resolved-3-ops",
                        "incident-" + id + "-resolved-3-pager");
        var fields = notifier.sent.get(4).fields();
        assertThat(fields)
                .containsEntry("severity", "P3")
                .containsEntry("service", "api")
                .containsEntry("actor", "bob")
                .containsEntry("incident_url", "https://opsdeck.example/incidents/" + id)
                .containsEntry("runbook", "RB-002")
                .containsEntry("incident_id", (int) id)
                .containsEntry("root_cause", "api")
                .containsKey("impacted");
    }

    @Test
    void transitionsThatDoNotFitTheStateAreRefused() {
        incidents.accept(firing("down", "api", "api", P3));
        long id = only().id();
        assertThatThrownBy(() -> incidents.reopen(id, "alice"))
                .isInstanceOf(IncidentConflict.class)
                .hasMessageContaining("not resolved");
        incidents.acknowledge(id, "alice");
        assertThatThrownBy(() -> incidents.acknowledge(id, "bob")).isInstanceOf(IncidentConflict.class);
        incidents.resolve(id, "alice");
        assertThatThrownBy(() -> incidents.resolve(id, "bob")).isInstanceOf(IncidentConflict.class);
        assertThatThrownBy(() -> incidents.acknowledge(999, "bob")).isInstanceOf(NoSuchIncident.class);
    }

    @Test
    void reopenGoesBackToTriggeredAndPagesAgain() {
        incidents.accept(firing("down", "api", "api", P3));
        long id = only().id();
        incidents.acknowledge(id, "alice");
        incidents.resolve(id, "alice");
        Incident reopened = incidents.reopen(id, "carol");
        assertThat(reopened.state()).isEqualTo(Incident.State.TRIGGERED);
        assertThat(reopened.resolvedMs()).isNull();
        assertThat(reopened.ackedBy()).isNull();
        assertThat(reopened.firstAckedMs())
                .as("MTTA keeps the first acknowledgement")
                .isNotNull();
        assertThat(notifier.keys()).contains("incident-" + id + "-triggered-4-ops");
    }

    @Test
    void reopenIsRefusedWhileAnotherIncidentIsOpenForTheSameAlerts() {
        incidents.accept(firing("down", "api", "api", P3));
        long first = only().id();
        incidents.resolve(first, "alice");
        incidents.accept(firing("down", "api", "api", P3));
        assertThatThrownBy(() -> incidents.reopen(first, "alice"))
                .isInstanceOf(IncidentConflict.class)
                .hasMessageContaining("is open for the same alerts");
    }

    @Test
    void anAcknowledgementNotFollowedByResolutionTimesOut() {
        incidents.accept(firing("down", "api", "api", P3));
        long id = only().id();
        incidents.acknowledge(id, "alice");
        clock.advance(Duration.ofMinutes(29));
        incidents.tick();
        assertThat(only().state()).isEqualTo(Incident.State.ACKNOWLEDGED);
        clock.advance(Duration.ofMinutes(2));
        incidents.tick();
        Incident i = only();
        assertThat(i.state()).isEqualTo(Incident.State.TRIGGERED);
        assertThat(i.ackedBy()).isNull();
        TimelineEntry last = incidents.detail(id).orElseThrow().timeline().stream()
                .filter(t -> t.kind().equals("state"))
                .toList()
                .getLast();
        assertThat(last.actor()).isEqualTo("opsdeck");
        assertThat(last.text()).contains("acknowledged by alice but not resolved within PT30M");
        assertThat(notifier.keys()).contains("incident-" + id + "-triggered-3-ops");
        incidents.acknowledge(id, "alice"); // and it can be acknowledged again
    }

    @Test
    void notesAndAssignmentsAreOnTheTimelineAsWritten() {
        incidents.accept(firing("down", "api", "api", P3));
        long id = only().id();
        String markdown = "**Restarted** the pod <script>alert(1)</script> & waited";
        TimelineEntry note = incidents.note(id, "alice", markdown);
        assertThat(note.text()).isEqualTo(markdown);
        assertThat(incidents.assign(id, "alice", "bob").assignee()).isEqualTo("bob");
        assertThat(incidents.assign(id, "alice", "carol").assignee()).isEqualTo("carol");
        List<TimelineEntry> timeline = incidents.detail(id).orElseThrow().timeline();
        assertThat(timeline)
                .filteredOn(t -> t.kind().equals("note"))
                .extracting(TimelineEntry::text)
                .containsExactly(markdown);
        assertThat(timeline)
                .filteredOn(t -> t.kind().equals("assigned"))
                .extracting(TimelineEntry::text)
                .containsExactly("assigned to bob", "assigned to carol");
    }

    @Test
    void noticesTheOutboxRefusedAreHandedOverAtTheNextTick() {
        notifier.failing = true;
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        assertThat(notifier.sent).isEmpty();
        assertThat(incidents.detail(id).orElseThrow().notices())
                .hasSize(2)
                .allSatisfy(n -> assertThat(n.outboxId()).isNull());
        notifier.failing = false;
        incidents.tick();
        incidents.tick();
        assertThat(notifier.keys())
                .containsExactly("incident-" + id + "-triggered-1-ops", "incident-" + id + "-triggered-1-pager");
        var detail = incidents.detail(id).orElseThrow();
        assertThat(detail.notices()).extracting(Notice::outboxId).containsExactly(1000L, 1001L);
        assertThat(detail.timeline())
                .filteredOn(t -> t.kind().equals("notification"))
                .hasSize(2);
    }

    @Test
    void deliveryResultsShowOnTheTimeline() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        assertThat(incidents.delivered("incident-" + id + "-triggered-1-ops", "delivered (HTTP 200)"))
                .isTrue();
        assertThat(incidents.delivered("someone-else", "delivered")).isFalse();
        var detail = incidents.detail(id).orElseThrow();
        assertThat(detail.notices().getFirst().delivery()).isEqualTo("delivered (HTTP 200)");
        assertThat(detail.timeline().getLast().text()).isEqualTo("incident.triggered to ops: delivered (HTTP 200)");
    }

    @Test
    void survivesARestart() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        store.close();
        store = backend.open();
        incidents = new IncidentManager(store, notifier, () -> config, () -> "http://x", registry, clock);
        assertThat(incidents.acknowledge(id, "alice").state()).isEqualTo(Incident.State.ACKNOWLEDGED);
        incidents.accept(firing("down", "web", "web", P3));
        assertThat(incidents.list(new IncidentManager.Filter(null, null, null, 10)))
                .extracting(Incident::id)
                .containsExactly(id + 1, id);
    }
}
