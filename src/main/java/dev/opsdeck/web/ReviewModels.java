package dev.opsdeck.web;

import dev.opsdeck.review.CorrectiveAction;
import dev.opsdeck.review.Review;
import dev.opsdeck.review.ReviewSummary;
import dev.opsdeck.review.ReviewText;
import java.util.ArrayList;
import java.util.List;

/** What the review pages show. */
public final class ReviewModels {
    private ReviewModels() {}

    /** One review in the list; {@code due} in words ("due in 5 h", "overdue by 2 h"). */
    public record Row(
            long incident, String title, String severity, String service, String stage, String due, boolean overdue) {
        public String severityClass() {
            return severity != null && severity.matches("P[1-4]") ? "sev sev-" + severity.toLowerCase() : "sev";
        }
    }

    public record ListPage(Viewer viewer, String css, String icon, List<Row> due, List<Row> completed) {}

    /** One action row of the form: written ones, then blank ones to add more. */
    public record ActionRow(String description, String owner, String due, boolean done) {}

    public record FormPage(
            Viewer viewer,
            String css,
            String icon,
            long id,
            Review review,
            ReviewText text,
            boolean canRespond,
            String error,
            long nowMs) {
        public boolean found() {
            return review != null;
        }

        public boolean resolved() {
            return review != null && review.incident().incident().resolvedMs() != null;
        }

        public String status() {
            return switch (review.stage()) {
                case COMPLETED -> "completed " + Format.utc(review.completedMs()) + " by " + review.completedBy();
                case DRAFT -> "draft, saved " + Format.utc(review.updatedMs()) + " by " + review.updatedBy();
                case NOT_STARTED -> "not started";
            };
        }

        public String due() {
            return review.dueMs() == null
                    ? null
                    : ReviewModels.due(review.dueMs(), review.stage() == Review.Stage.COMPLETED, nowMs);
        }

        public String duration() {
            return Format.span(review.durationMs(nowMs));
        }

        public List<ActionRow> actions() {
            List<ActionRow> rows = new ArrayList<>();
            for (CorrectiveAction a : text.actions()) {
                rows.add(new ActionRow(
                        a.description(),
                        a.owner(),
                        a.due() == null ? "" : a.due().toString(),
                        a.status() == CorrectiveAction.Status.DONE));
            }
            for (int n = 0; n < ReviewPages.SPARE_ACTION_ROWS; n++) rows.add(new ActionRow("", "", "", false));
            return rows;
        }

        /** A text field's value for the form: never null. */
        public String value(String s) {
            return s == null ? "" : s;
        }
    }

    static Row row(ReviewSummary s, long nowMs) {
        return new Row(
                s.incident().id(),
                s.incident().title(),
                s.incident().severity(),
                s.incident().service(),
                s.stage().label().replace('_', ' '),
                s.dueMs() == null ? "—" : due(s.dueMs(), s.stage() == Review.Stage.COMPLETED, nowMs),
                s.overdue());
    }

    static String due(long dueMs, boolean completed, long nowMs) {
        if (completed) return "was due " + Format.utc(dueMs);
        return nowMs > dueMs ? "overdue by " + Format.span(nowMs - dueMs) : "due in " + Format.span(dueMs - nowMs);
    }
}
