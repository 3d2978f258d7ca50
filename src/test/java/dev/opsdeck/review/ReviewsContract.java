package dev.opsdeck.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.incident.TimelineEntry;
import dev.opsdeck.store.OnEachBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Post-incident reviews on a real store (a SQLite and a PostgreSQL subclass), time moved by hand. */
abstract class ReviewsContract extends OnEachBackend {
    static final Instant START = Instant.parse("2025-06-04T08:00:00Z");
    static final ReviewText WRITTEN = new ReviewText(
            "Disk full on the primary: WAL filled /var/lib/postgresql.",
            "Trades failed for 40 minutes.",
            "All traders",
            "Freed space, restarted PostgreSQL.",
            "The disk alert fired at 95 %; 85 % would have given an hour.",
            "RB-001: add the WAL clean-up step.",
            List.of(
                    new CorrectiveAction(
                            "Alert at 85 % disk | not 95 %",
                            "alice", LocalDate.of(2025, 6, 20), CorrectiveAction.Status.OPEN),
                    new CorrectiveAction(
                            "Move WAL to its own volume",
                            "bob",
                            LocalDate.of(2025, 7, 1),
                            CorrectiveAction.Status.DONE)));

    ManualClock clock;
    IncidentManager incidents;
    IncidentsConfig.Review rules;
    PrometheusMeterRegistry registry;
    Reviews reviews;

    @Override
    protected List<String> reset() {
        return List.of(
                "DELETE FROM review_action",
                "DELETE FROM incident_review",
                "DELETE FROM incident_notification",
                "DELETE FROM incident_timeline",
                "DELETE FROM incident_impact",
                "DELETE FROM incident_alert",
                "DELETE FROM incident");
    }

    @BeforeEach
    void wire() {
        clock = new ManualClock(START);
        rules = IncidentsConfig.Review.DEFAULTS;
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IncidentsConfig config = IncidentsConfig.DEFAULTS;
        incidents = new IncidentManager(
                store, (channel, key, template, fields) -> 1L, () -> config, () -> null, registry, clock);
        reviews = new Reviews(store, incidents, () -> rules, registry, clock);
    }

    /** An incident of {@code severity} about {@code service}, open for {@code lasted}, then resolved by carol. */
    long outage(String service, AlertEvent.Severity severity, Duration lasted) {
        AlertEvent fired = new AlertEvent(
                "rule:down:" + service,
                "rule",
                "down",
                AlertEvent.State.FIRING,
                severity,
                service,
                service,
                List.of(),
                false,
                Map.of("service", service),
                service + " is down",
                null,
                null,
                clock.instant(),
                null);
        incidents.accept(fired);
        long id = incidents
                .list(new IncidentManager.Filter("open", null, service, 10))
                .getFirst()
                .id();
        clock.advance(lasted);
        incidents.resolve(id, "carol");
        return id;
    }

    @Test
    void aResolvedP1OwesAReviewDue48HoursLaterAndIsFlaggedOverdueAfterThat() {
        long id = outage("postgres", AlertEvent.Severity.P1, Duration.ofMinutes(40));
        long resolvedMs = clock.millis();
        List<ReviewSummary> due = reviews.list(Reviews.Show.DUE);
        assertThat(due).extracting(s -> s.incident().id()).containsExactly(id);
        assertThat(due.getFirst().dueMs())
                .isEqualTo(resolvedMs + Duration.ofHours(48).toMillis());
        assertThat(due.getFirst().overdue()).isFalse();
        assertThat(due.getFirst().stage()).isEqualTo(Review.Stage.NOT_STARTED);
        assertThat(reviews.list(Reviews.Show.OVERDUE)).isEmpty();

        clock.advance(Duration.ofHours(48).plusSeconds(1));
        assertThat(reviews.list(Reviews.Show.OVERDUE))
                .extracting(s -> s.incident().id())
                .containsExactly(id);
        reviews.refresh();
        assertThat(registry.scrape()).contains("opsdeck_reviews_overdue 1.0").contains("opsdeck_reviews_due 1.0");
        assertThat(reviews.find(id).orElseThrow().overdue()).isTrue();
    }

    @Test
    void onlyTheConfiguredSeveritiesOweOne() {
        long p2 = outage("api", AlertEvent.Severity.P2, Duration.ofMinutes(5));
        long p3 = outage("indexer", AlertEvent.Severity.P3, Duration.ofMinutes(5));
        assertThat(reviews.list(Reviews.Show.DUE))
                .extracting(s -> s.incident().id())
                .containsExactly(p2);
        assertThat(reviews.find(p3).orElseThrow().required()).isFalse();
        assertThat(reviews.find(p3).orElseThrow().dueMs()).isNull();

        rules = new IncidentsConfig.Review(Set.of("P1"), Duration.ofHours(72)); // a config reload applies at once
        assertThat(reviews.list(Reviews.Show.DUE)).isEmpty();
        // a review written for an incident that does not owe one is still listed with all reviews
        reviews.save(p3, "dave", WRITTEN);
        assertThat(reviews.list(Reviews.Show.ALL))
                .extracting(s -> s.incident().id())
                .containsExactly(p3);
    }

    @Test
    void aReviewIsWrittenOnlyAfterTheResolution() {
        AlertEvent fired = new AlertEvent(
                "rule:down:redis",
                "rule",
                "down",
                AlertEvent.State.FIRING,
                AlertEvent.Severity.P1,
                "redis",
                "redis",
                List.of(),
                false,
                Map.of(),
                "redis is down",
                null,
                null,
                clock.instant(),
                null);
        incidents.accept(fired);
        long id = incidents
                .list(new IncidentManager.Filter("open", null, null, 10))
                .getFirst()
                .id();
        assertThatThrownBy(() -> reviews.save(id, "dave", WRITTEN))
                .isInstanceOf(InvalidReview.class)
                .hasMessage("incident " + id + " is triggered: a review is written once the incident is resolved")
                .matches(e -> ((InvalidReview) e).conflict());
        assertThat(reviews.find(id).orElseThrow().stage()).isEqualTo(Review.Stage.NOT_STARTED);
        assertThat(reviews.find(424242)).isEmpty();
    }

    @Test
    void completingNeedsEverySectionThenNotesTheTimelineOnce() {
        long id = outage("postgres", AlertEvent.Severity.P1, Duration.ofMinutes(40));
        assertThatThrownBy(() -> reviews.complete(id, "dave"))
                .isInstanceOf(InvalidReview.class)
                .hasMessage("the review of incident " + id + " is not written yet: save it first");
        reviews.save(id, "dave", new ReviewText("WAL filled the disk", null, null, " ", null, null, List.of()));
        assertThat(reviews.find(id).orElseThrow().stage()).isEqualTo(Review.Stage.DRAFT);
        assertThatThrownBy(() -> reviews.complete(id, "dave"))
                .isInstanceOf(InvalidReview.class)
                .hasMessage("the review cannot be completed yet: write impact, remediation, detection_gap,"
                        + " runbook_improvements (write \"none\" where there is nothing to say)")
                .matches(e -> !((InvalidReview) e).conflict());

        clock.advance(Duration.ofHours(3));
        reviews.save(id, "erin", WRITTEN);
        Review done = reviews.complete(id, "erin");
        assertThat(done.stage()).isEqualTo(Review.Stage.COMPLETED);
        assertThat(done.completedBy()).isEqualTo("erin");
        assertThat(done.completedMs()).isEqualTo(clock.millis());
        assertThat(done.text()).isEqualTo(WRITTEN);
        assertThat(done.incident().timeline())
                .filteredOn(t -> t.kind().equals("note"))
                .extracting(TimelineEntry::actor, TimelineEntry::text)
                .containsExactly(Tuple.tuple("erin", "Post-incident review completed."));
        assertThat(reviews.list(Reviews.Show.DUE)).isEmpty();
        assertThat(reviews.list(Reviews.Show.COMPLETED))
                .extracting(s -> s.incident().id())
                .containsExactly(id);
        assertThatThrownBy(() -> reviews.complete(id, "dave"))
                .isInstanceOf(InvalidReview.class)
                .hasMessage("the review of incident " + id + " was already completed by erin");

        // an edit after completion keeps it completed and replaces the actions in their new order
        ReviewText edited = new ReviewText(
                WRITTEN.rootCause(),
                WRITTEN.impact(),
                WRITTEN.affectedUsers(),
                WRITTEN.remediation(),
                WRITTEN.detectionGap(),
                WRITTEN.runbookImprovements(),
                List.of(WRITTEN.actions().get(1)));
        Review after = reviews.save(id, "dave", edited);
        assertThat(after.stage()).isEqualTo(Review.Stage.COMPLETED);
        assertThat(after.text().actions()).containsExactly(WRITTEN.actions().get(1));
        assertThat(after.updatedBy()).isEqualTo("dave");
    }

    @Test
    void badActionsAndOversizedTextsAreRefusedWithTheField() {
        long id = outage("postgres", AlertEvent.Severity.P2, Duration.ofMinutes(1));
        var noOwner = new ReviewText(
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(new CorrectiveAction(
                        "Add an alert", " ", LocalDate.of(2025, 7, 1), CorrectiveAction.Status.OPEN)));
        assertThatThrownBy(() -> reviews.save(id, "dave", noOwner))
                .hasMessage("actions[0].owner: required (who sees it through)");
        var noDue = new ReviewText(
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(new CorrectiveAction("Add an alert", "alice", null, CorrectiveAction.Status.OPEN)));
        assertThatThrownBy(() -> reviews.save(id, "dave", noDue))
                .hasMessage("actions[0].due: required (a date such as 2026-12-31)");
        var huge = new ReviewText("x".repeat(Reviews.MAX_TEXT + 1), null, null, null, null, null, List.of());
        assertThatThrownBy(() -> reviews.save(id, "dave", huge)).hasMessage("root_cause: longer than 20000 characters");
        assertThat(reviews.find(id).orElseThrow().stage()).isEqualTo(Review.Stage.NOT_STARTED); // nothing half-stored
    }

    @Test
    void theMarkdownExportHasTheSeedsSectionsAndThePrefilledFacts() {
        long id = outage("postgres", AlertEvent.Severity.P1, Duration.ofMinutes(40));
        reviews.save(id, "erin", WRITTEN);
        String md = ReviewMarkdown.render(reviews.find(id).orElseThrow(), clock.millis());
        assertThat(md)
                .startsWith("# Post-incident review: incident " + id + " — ")
                .contains("| Duration | 40m 0s |")
                .contains("| Resolved | 2025-06-04 08:40:00 UTC by carol |")
                .contains("## Timeline\n\n- 2025-06-04 08:00:00 UTC — state (rule): triggered\n"
                        + "- 2025-06-04 08:00:00 UTC — alert fired (rule): down: postgres is down\n"
                        + "- 2025-06-04 08:40:00 UTC — state (carol): resolved\n\n## Root cause")
                .contains("## Root cause\n\nDisk full on the primary")
                .contains(
                        "## Impact\n\n- Duration: 40m 0s\n- Affected services: postgres\n- Affected users: All traders")
                .contains("## Immediate remediation\n\nFreed space")
                .contains("| Alert at 85 % disk \\| not 95 % | alice | 2025-06-20 | open |")
                .contains("| Move WAL to its own volume | bob | 2025-07-01 | done |")
                .contains("## Detection gap\n\nThe disk alert")
                .contains("## Runbook improvements\n\nRB-001: add the WAL clean-up step.")
                .contains("draft, last saved 2025-06-04 08:40:00 UTC by erin; due 2025-06-06 08:40:00 UTC");
    }
}
