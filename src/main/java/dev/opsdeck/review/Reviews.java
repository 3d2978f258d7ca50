package dev.opsdeck.review;

import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.incident.NoSuchIncident;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-incident reviews. Which incidents need one and when it is due follow from the incident (severity,
 * resolution time) and {@code incidents.review} at each question, so a config change applies to every incident;
 * only what people write is stored. The figures for /metrics are refreshed by {@link #refresh()}, so a scrape
 * never queries the store.
 */
public final class Reviews {
    public static final int MAX_TEXT = 20_000;
    public static final int MAX_ACTIONS = 50;
    /** The most resolved incidents a list looks at, newest first. */
    static final int LIST_WINDOW = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(Reviews.class);

    /** Which reviews a list shows. */
    public enum Show {
        DUE,
        OVERDUE,
        COMPLETED,
        ALL
    }

    private final ReviewStore store;
    private final IncidentManager incidents;
    private final Supplier<IncidentsConfig.Review> config;
    private final Clock clock;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();

    public Reviews(
            Store store,
            IncidentManager incidents,
            Supplier<IncidentsConfig.Review> config,
            MeterRegistry registry,
            Clock clock) {
        this.store = new ReviewStore(store);
        this.incidents = incidents;
        this.config = config;
        this.clock = clock;
        Gauge.builder("opsdeck.reviews.due", due, AtomicLong::get)
                .description("Required post-incident reviews not completed yet, overdue ones included")
                .register(registry);
        Gauge.builder("opsdeck.reviews.overdue", overdue, AtomicLong::get)
                .description("Required post-incident reviews past their due time")
                .register(registry);
    }

    /** The review of an incident, pre-filled from it; empty when there is no such incident. */
    public Optional<Review> find(long incidentId) {
        return incidents
                .detail(incidentId)
                .map(d -> review(d, store.find(incidentId).orElse(null)));
    }

    /** Saves the review's text (a draft, or an edit of a completed review); the incident must be resolved. */
    public Review save(long incidentId, String actor, ReviewText text) {
        validate(text);
        Incident i = resolved(incidentId);
        store.save(i.id(), text, clock.millis(), actor);
        refresh();
        return find(incidentId).orElseThrow();
    }

    /** Completes the review once every section is written; notes it on the incident's timeline. */
    public Review complete(long incidentId, String actor) {
        Incident i = resolved(incidentId);
        ReviewStore.Row row = store.find(i.id())
                .orElseThrow(() -> InvalidReview.state(
                        "the review of incident " + incidentId + " is not written yet: save it first"));
        if (row.completedMs() != null) {
            throw InvalidReview.state(
                    "the review of incident " + incidentId + " was already completed by " + row.completedBy());
        }
        List<String> missing = row.text().missingForCompletion();
        if (!missing.isEmpty()) {
            throw InvalidReview.field("the review cannot be completed yet: write " + String.join(", ", missing)
                    + " (write \"none\" where there is nothing to say)");
        }
        if (!store.complete(i.id(), clock.millis(), actor)) {
            throw InvalidReview.state("the review of incident " + incidentId + " was completed meanwhile");
        }
        incidents.note(i.id(), actor, "Post-incident review completed.");
        refresh();
        return find(incidentId).orElseThrow();
    }

    /** Reviews to show, overdue first, then by due time; incidents without a required or written review are left out. */
    public List<ReviewSummary> list(Show show) {
        Map<Long, Long> written = store.completions();
        IncidentsConfig.Review rules = config.get();
        long now = clock.millis();
        List<ReviewSummary> out = new ArrayList<>();
        for (Incident i : incidents.list(new IncidentManager.Filter("resolved", null, null, LIST_WINDOW))) {
            boolean required = rules.required(i.severity());
            if (!required && !written.containsKey(i.id())) continue;
            Review.Stage stage = !written.containsKey(i.id())
                    ? Review.Stage.NOT_STARTED
                    : written.get(i.id()) == null ? Review.Stage.DRAFT : Review.Stage.COMPLETED;
            Long dueMs = required ? i.resolvedMs() + rules.dueAfter().toMillis() : null;
            boolean late = dueMs != null && stage != Review.Stage.COMPLETED && now > dueMs;
            ReviewSummary s = new ReviewSummary(i, stage, required, dueMs, late);
            boolean shown = switch (show) {
                case DUE -> required && stage != Review.Stage.COMPLETED;
                case OVERDUE -> late;
                case COMPLETED -> stage == Review.Stage.COMPLETED;
                case ALL -> true;
            };
            if (shown) out.add(s);
        }
        out.sort(Comparator.comparing((ReviewSummary s) -> !s.overdue())
                .thenComparing(s -> s.dueMs() == null ? Long.MAX_VALUE : s.dueMs()));
        return out;
    }

    /** Recounts the due and overdue reviews for /metrics; never throws (the housekeeping beat calls it). */
    public void refresh() {
        try {
            List<ReviewSummary> open = list(Show.DUE);
            due.set(open.size());
            overdue.set(open.stream().filter(ReviewSummary::overdue).count());
        } catch (RuntimeException e) {
            LOG.warn("event=review_refresh_failed error=\"{}\"", e.toString());
        }
    }

    private Review review(IncidentManager.Detail d, ReviewStore.Row row) {
        Incident i = d.incident();
        IncidentsConfig.Review rules = config.get();
        boolean required = rules.required(i.severity());
        Long dueMs = required && i.resolvedMs() != null
                ? i.resolvedMs() + rules.dueAfter().toMillis()
                : null;
        Review.Stage stage = row == null
                ? Review.Stage.NOT_STARTED
                : row.completedMs() == null ? Review.Stage.DRAFT : Review.Stage.COMPLETED;
        boolean late = dueMs != null && stage != Review.Stage.COMPLETED && clock.millis() > dueMs;
        return row == null
                ? new Review(d, ReviewText.EMPTY, stage, required, dueMs, late, null, null, null, null)
                : new Review(
                        d,
                        row.text(),
                        stage,
                        required,
                        dueMs,
                        late,
                        row.updatedMs(),
                        row.updatedBy(),
                        row.completedMs(),
                        row.completedBy());
    }

    private Incident resolved(long incidentId) {
        Incident i = incidents.find(incidentId).orElseThrow(() -> new NoSuchIncident(incidentId));
        if (i.state() != Incident.State.RESOLVED) {
            throw InvalidReview.state("incident " + incidentId + " is "
                    + i.state().label() + ": a review is written once the incident is resolved");
        }
        return i;
    }

    private static void validate(ReviewText t) {
        text("root_cause", t.rootCause());
        text("impact", t.impact());
        text("affected_users", t.affectedUsers());
        text("remediation", t.remediation());
        text("detection_gap", t.detectionGap());
        text("runbook_improvements", t.runbookImprovements());
        if (t.actions().size() > MAX_ACTIONS) {
            throw InvalidReview.field(
                    "actions: at most " + MAX_ACTIONS + "; got " + t.actions().size());
        }
        for (int n = 0; n < t.actions().size(); n++) {
            CorrectiveAction a = t.actions().get(n);
            String at = "actions[" + n + "].";
            if (ReviewText.blank(a.description())) throw InvalidReview.field(at + "description: required");
            if (a.description().length() > 2_000)
                throw InvalidReview.field(at + "description: longer than 2000 characters");
            if (ReviewText.blank(a.owner())) throw InvalidReview.field(at + "owner: required (who sees it through)");
            if (a.owner().length() > 200) throw InvalidReview.field(at + "owner: longer than 200 characters");
            if (a.due() == null) throw InvalidReview.field(at + "due: required (a date such as 2026-12-31)");
            if (a.status() == null) throw InvalidReview.field(at + "status: required (open or done)");
        }
    }

    private static void text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw InvalidReview.field(field + ": longer than " + MAX_TEXT + " characters");
        }
    }
}
