package dev.opsdeck.review;

import dev.opsdeck.incident.IncidentManager;
import java.util.Locale;

/**
 * A post-incident review as shown: the incident with its timeline and impact (pre-filled from the store) and
 * what people wrote. {@code dueMs} is null when the incident's severity needs no review or it is not resolved.
 */
public record Review(
        IncidentManager.Detail incident,
        ReviewText text,
        Stage stage,
        boolean required,
        Long dueMs,
        boolean overdue,
        Long updatedMs,
        String updatedBy,
        Long completedMs,
        String completedBy) {
    public enum Stage {
        NOT_STARTED,
        DRAFT,
        COMPLETED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How long the outage lasted: opened to resolved, or to {@code nowMs} while it is open. */
    public long durationMs(long nowMs) {
        var i = incident.incident();
        return (i.resolvedMs() != null ? i.resolvedMs() : nowMs) - i.openedMs();
    }
}
