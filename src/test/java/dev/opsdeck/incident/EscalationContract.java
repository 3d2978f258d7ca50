package dev.opsdeck.incident;

import static dev.opsdeck.alert.AlertEvent.Severity.P1;
import static dev.opsdeck.alert.AlertEvent.Severity.P3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OnCallConfig.Contact;
import dev.opsdeck.config.OnCallConfig.Policy;
import dev.opsdeck.config.OnCallConfig.Rotation;
import dev.opsdeck.config.OnCallConfig.Step;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Escalation policies with a hand-moved clock: steps after their waits, repeats, stop on acknowledgement, resume
 * after the ack timeout, restart on reopen, the snapshot taken when the incident opens, and a restart of the manager.
 * P1 incidents go to "critical": the primary rotation's on-call, then the lead and the pager channel, 15 and 10
 * minutes apart, run twice; everything else to the default policy (the ops channel).
 */
abstract class EscalationContract extends IncidentContract {
    OnCallConfig oncall;

    @BeforeEach
    void escalationPolicies() {
        IncidentsConfig d = config;
        config = new IncidentsConfig(
                d.ack(),
                d.resolve(),
                Duration.ofMinutes(30),
                ZoneId.of("UTC"),
                List.of(),
                IncidentsConfig.Review.DEFAULTS);
        oncall = oncall(List.of("alice", "bob"), Duration.ofMinutes(15));
        incidents = manager();
    }

    IncidentManager manager() {
        return new IncidentManager(
                store, notifier, () -> config, () -> oncall, () -> "https://opsdeck.example/", registry, clock);
    }

    static OnCallConfig oncall(List<String> members, Duration firstWait) {
        Map<String, Contact> contacts = Map.of(
                "alice", new Contact("alice", "Alice", "alice@example.com", "<@U1>", "+49 1", List.of("mail")),
                "bob", new Contact("bob", "Bob", "bob@example.com", null, null, List.of("mail", "chat")),
                "lead", new Contact("lead", "Lena Lead", "lead@example.com", null, null, List.of("mail")));
        // START is Wednesday 2025-06-04 08:00Z: the turn that began Monday 09:00 is the first member's
        Rotation primary = new Rotation(
                "primary",
                members,
                Duration.ofDays(7),
                LocalTime.of(9, 0),
                ZoneId.of("UTC"),
                LocalDate.of(2025, 6, 2),
                List.of());
        Policy critical = new Policy(
                "critical",
                Set.of("P1"),
                Set.of(),
                Map.of(),
                false,
                1,
                List.of(
                        new Step(List.of("primary"), List.of(), List.of(), firstWait),
                        new Step(List.of(), List.of("lead"), List.of("pager"), Duration.ofMinutes(10))));
        Policy fallback = new Policy(
                "everything-else",
                Set.of(),
                Set.of(),
                Map.of(),
                true,
                0,
                List.of(new Step(List.of(), List.of(), List.of("ops"), Duration.ofMinutes(30))));
        return new OnCallConfig(contacts, Map.of("primary", primary), List.of(critical, fallback), Map.of());
    }

    List<String> escalated(long id) {
        return incidents.detail(id).orElseThrow().timeline().stream()
                .filter(t -> t.kind().equals("escalated"))
                .map(TimelineEntry::text)
                .toList();
    }

    void tickAfter(Duration d) {
        clock.advance(d);
        incidents.tick();
    }

    @Test
    void stepsRunAfterTheirWaitsThenThePolicyRepeatsThenStops() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        assertThat(escalated(id)).containsExactly("step 1: paged Alice (on call for primary)");
        assertThat(notifier.sent).singleElement().satisfies(s -> {
            assertThat(s.channel()).isEqualTo("mail");
            assertThat(s.template()).isEqualTo("incident.triggered");
            assertThat(s.key()).isEqualTo("incident-" + id + "-escalated-1-mail-alice");
            assertThat(s.fields())
                    .containsEntry("contact_email", "alice@example.com")
                    .containsEntry("contact_slack", "<@U1>")
                    .containsEntry("paged", "Alice (on call for primary)")
                    .containsEntry("step", "1")
                    .containsEntry("severity", "P1");
        });
        tickAfter(Duration.ofMinutes(14));
        assertThat(notifier.sent).hasSize(1);
        tickAfter(Duration.ofMinutes(1));
        assertThat(escalated(id)).last().isEqualTo("escalated to step 2: paged Lena Lead, channel pager");
        assertThat(notifier.sent.subList(1, 3))
                .extracting(RecordingNotifier.Sent::channel, RecordingNotifier.Sent::template)
                .containsExactly(Tuple.tuple("mail", "incident.escalated"), Tuple.tuple("pager", "incident.escalated"));
        assertThat(notifier.sent.get(1).fields())
                .containsEntry("contact_email", "lead@example.com")
                .containsEntry("step", "2");
        assertThat(notifier.sent.get(2).fields()).doesNotContainKey("contact_email");
        tickAfter(Duration.ofMinutes(10));
        tickAfter(Duration.ofMinutes(15));
        assertThat(escalated(id))
                .containsExactly(
                        "step 1: paged Alice (on call for primary)",
                        "escalated to step 2: paged Lena Lead, channel pager",
                        "escalated to step 1 (repeat 1 of 1): paged Alice (on call for primary)",
                        "escalated to step 2 (repeat 1 of 1): paged Lena Lead, channel pager");
        tickAfter(Duration.ofHours(5));
        assertThat(escalated(id)).hasSize(4);
        assertThat(notifier.sent).hasSize(6);
        assertThat(incidents.escalation(id).orElseThrow())
                .containsEntry("state", "done")
                .containsEntry("policy", "critical");
    }

    @Test
    void anAcknowledgementStopsTheEscalation() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        clock.advance(Duration.ofMinutes(5));
        incidents.acknowledge(id, "alice");
        tickAfter(Duration.ofMinutes(20));
        assertThat(escalated(id)).containsExactly("step 1: paged Alice (on call for primary)");
        assertThat(incidents.escalation(id).orElseThrow())
                .containsEntry("state", "paused")
                .containsEntry("next_at", null);
    }

    @Test
    void anAckTimeoutSendsItBackToTriggeredAndTheNextStepRunsAtOnce() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        clock.advance(Duration.ofMinutes(5));
        incidents.acknowledge(id, "alice");
        tickAfter(Duration.ofMinutes(29));
        assertThat(only().state()).isEqualTo(Incident.State.ACKNOWLEDGED);
        tickAfter(Duration.ofMinutes(1));
        assertThat(only().state()).isEqualTo(Incident.State.TRIGGERED);
        assertThat(escalated(id))
                .containsExactly(
                        "step 1: paged Alice (on call for primary)",
                        "escalated to step 2: paged Lena Lead, channel pager");
        // and it carries on from there: the repeat is 10 minutes later
        tickAfter(Duration.ofMinutes(10));
        assertThat(escalated(id))
                .last()
                .isEqualTo("escalated to step 1 (repeat 1 of 1): paged Alice (on call for primary)");
    }

    @Test
    void theRunningEscalationKeepsThePolicyItStartedWith() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        // a reload: bob is on call now, and the first wait is an hour; the running escalation does not change
        oncall = oncall(List.of("bob"), Duration.ofHours(1));
        tickAfter(Duration.ofMinutes(15));
        tickAfter(Duration.ofMinutes(10));
        assertThat(escalated(id))
                .containsExactly(
                        "step 1: paged Alice (on call for primary)",
                        "escalated to step 2: paged Lena Lead, channel pager",
                        "escalated to step 1 (repeat 1 of 1): paged Alice (on call for primary)");
        // a new incident takes the new policy
        incidents.accept(firing("down", "web", "web", P1));
        long second = incidents
                .list(new IncidentManager.Filter("open", null, "web", 10))
                .getFirst()
                .id();
        assertThat(escalated(second)).containsExactly("step 1: paged Bob (on call for primary)");
        assertThat(notifier.sent.stream()
                        .filter(s -> s.key().startsWith("incident-" + second + "-"))
                        .map(s -> s.channel()))
                .containsExactlyInAnyOrder("mail", "chat");
    }

    @Test
    void routingPicksTheFirstMatchingPolicyElseTheDefault() {
        incidents.accept(firing("slow", "api", "api", P3));
        long id = only().id();
        assertThat(escalated(id)).containsExactly("step 1: paged channel ops");
        assertThat(incidents.escalation(id).orElseThrow()).containsEntry("policy", "everything-else");
        assertThat(only().policy()).contains("\"policy\":\"everything-else\"");
    }

    @Test
    void aRestartedManagerCarriesOnFromTheStoreAndNeverRunsAStepTwice() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        clock.advance(Duration.ofMinutes(15));
        IncidentManager first = incidents, second = manager();
        first.tick();
        second.tick(); // a second beat at the same moment finds nothing due
        assertThat(escalated(id))
                .containsExactly(
                        "step 1: paged Alice (on call for primary)",
                        "escalated to step 2: paged Lena Lead, channel pager");
        assertThat(notifier.sent).hasSize(3);
    }

    @Test
    void everyoneAStepPagedHearsOfTheResolutionOnce() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        tickAfter(Duration.ofMinutes(15));
        tickAfter(Duration.ofMinutes(10)); // steps 1, 2, 1 again (seq 1-3): alice twice, the lead and the pager once
        int before = notifier.sent.size();
        incidents.resolve(id, "alice");
        List<RecordingNotifier.Sent> resolved = notifier.sent.subList(before, notifier.sent.size());
        assertThat(resolved).extracting(RecordingNotifier.Sent::template).containsOnly("incident.resolved");
        assertThat(resolved)
                .extracting(RecordingNotifier.Sent::key)
                .containsExactlyInAnyOrder(
                        "incident-" + id + "-resolved-4-mail-alice",
                        "incident-" + id + "-resolved-4-mail-lead",
                        "incident-" + id + "-resolved-4-pager");
        assertThat(resolved)
                .filteredOn(s -> s.key().endsWith("-alice"))
                .singleElement()
                .satisfies(s -> assertThat(s.fields())
                        .containsEntry("contact_email", "alice@example.com")
                        .containsEntry("actor", "alice")
                        .doesNotContainKey("step"));
    }

    @Test
    void resolvingStopsItAndReopeningStartsItOverFromStepOne() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        incidents.resolve(id, "alice");
        tickAfter(Duration.ofHours(1));
        assertThat(escalated(id)).hasSize(1);
        assertThat(incidents.escalation(id).orElseThrow()).containsEntry("state", "stopped");
        incidents.reopen(id, "bob");
        assertThat(escalated(id))
                .containsExactly(
                        "step 1: paged Alice (on call for primary)", "step 1: paged Alice (on call for primary)");
        tickAfter(Duration.ofMinutes(15));
        assertThat(escalated(id)).last().isEqualTo("escalated to step 2: paged Lena Lead, channel pager");
    }

    @Test
    void aSuppressedAlertStartsNoEscalation() {
        incidents.accept(firing("down", "web", "api", P1)); // web is down because api is: recorded, not paged
        long id = only().id();
        assertThat(escalated(id)).isEmpty();
        assertThat(incidents.escalation(id)).isEmpty();
        incidents.accept(firing("down", "api", "api", P1)); // the root cause pages: now it starts
        assertThat(escalated(id)).containsExactly("step 1: paged Alice (on call for primary)");
    }

    @Test
    void thePolicyIsSnapshottedWhenTheIncidentOpensNotWhenItFirstPages() {
        incidents.accept(firing("down", "web", "api", P1)); // opens silently: web is down because api is
        long id = only().id();
        assertThat(only().policy()).contains("\"policy\":\"critical\"");
        assertThat(incidents.escalation(id)).isEmpty(); // snapshotted, not started
        // a reload before the first page: bob alone on call, an hour's first wait, and no critical policy at all
        oncall = new OnCallConfig(
                oncall(List.of("bob"), Duration.ofHours(1)).contacts(),
                oncall(List.of("bob"), Duration.ofHours(1)).rotations(),
                List.of(oncall.policies().get(1)),
                Map.of());
        clock.advance(Duration.ofMinutes(3));
        incidents.accept(firing("down", "api", "api", P1)); // the root cause pages: the snapshot from the open runs
        assertThat(escalated(id)).containsExactly("step 1: paged Alice (on call for primary)");
        assertThat(incidents.escalation(id).orElseThrow()).containsEntry("policy", "critical");
        tickAfter(Duration.ofMinutes(15)); // the snapshot's 15 minutes, not the reloaded hour
        assertThat(escalated(id)).last().isEqualTo("escalated to step 2: paged Lena Lead, channel pager");
        // an incident opened after the reload takes the reloaded configuration
        incidents.accept(firing("down", "db", "db", P1));
        long second = incidents
                .list(new IncidentManager.Filter("open", null, "db", 10))
                .getFirst()
                .id();
        assertThat(incidents.escalation(second).orElseThrow()).containsEntry("policy", "everything-else");
    }

    @Test
    void stepsAndAckTimeoutsAreCountedInMetrics() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        tickAfter(Duration.ofMinutes(15));
        incidents.acknowledge(id, "alice");
        tickAfter(Duration.ofMinutes(30)); // the ack times out: step 1 of the repeat runs at once
        incidents.accept(firing("slow", "web", "web", P3));
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains(
                        "opsdeck_escalations_total{policy=\"critical\",step=\"1\"} 2.0",
                        "opsdeck_escalations_total{policy=\"critical\",step=\"2\"} 1.0",
                        "opsdeck_escalations_total{policy=\"everything-else\",step=\"1\"} 1.0",
                        "opsdeck_incident_ack_timeouts_total{policy=\"critical\"} 1.0");
    }

    @Test
    void anAckTimeoutIsToldToEveryoneTheEscalationPaged() {
        incidents.accept(firing("down", "api", "api", P1));
        long id = only().id();
        tickAfter(Duration.ofMinutes(15)); // step 2: the lead and the pager channel
        incidents.acknowledge(id, "lena");
        int before = notifier.sent.size();
        tickAfter(Duration.ofMinutes(30));
        List<RecordingNotifier.Sent> after = notifier.sent.subList(before, notifier.sent.size());
        assertThat(after)
                .filteredOn(s -> s.key().contains("-ack_timeout-"))
                .extracting(RecordingNotifier.Sent::key)
                .containsExactlyInAnyOrder(
                        "incident-" + id + "-ack_timeout-3-mail-alice",
                        "incident-" + id + "-ack_timeout-3-mail-lead",
                        "incident-" + id + "-ack_timeout-3-pager");
        assertThat(after)
                .filteredOn(s -> s.key().endsWith("-ack_timeout-3-mail-lead"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.template()).isEqualTo("incident.triggered");
                    assertThat(s.fields())
                            .containsEntry("reason", "ack_timeout")
                            .containsEntry("contact_email", "lead@example.com")
                            .containsEntry("summary", "acknowledged by lena but not resolved within PT30M");
                });
        // then the escalation goes on: the repeat's step 1 pages alice again
        assertThat(after)
                .filteredOn(s -> s.key().contains("-escalated-"))
                .extracting(RecordingNotifier.Sent::key)
                .containsExactly("incident-" + id + "-escalated-4-mail-alice");
    }

    @Test
    void aRotationWithNobodyOnCallIsSaidOnTheTimeline() {
        oncall = new OnCallConfig(
                oncall.contacts(),
                Map.of(
                        "primary",
                        new Rotation(
                                "primary",
                                List.of("alice"),
                                Duration.ofDays(7),
                                LocalTime.of(9, 0),
                                ZoneId.of("UTC"),
                                LocalDate.of(2030, 1, 7),
                                List.of())),
                oncall.policies(),
                Map.of());
        incidents.accept(firing("down", "api", "api", P1));
        assertThat(escalated(only().id())).containsExactly("step 1: nobody is on call for primary");
        assertThat(notifier.sent).isEmpty();
    }
}
