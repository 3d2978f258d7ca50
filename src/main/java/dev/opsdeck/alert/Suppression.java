package dev.opsdeck.alert;

import java.util.Map;

/**
 * Where silences and maintenance windows plug in: asked once when an alert fires whether it must be recorded
 * without paging, and why. It never stops an alert from being raised or resolved, only from paging.
 */
@FunctionalInterface
public interface Suppression {
    Suppression NONE = (service, name, severity, labels) -> null;

    /**
     * Why this alert must not page, in words for the incident timeline ({@code silenced by silence #3},
     * {@code held by maintenance window db-upgrade}); null when nothing suppresses it.
     */
    String reason(String service, String name, AlertEvent.Severity severity, Map<String, String> labels);

    default boolean suppressed(String service, String name, AlertEvent.Severity severity, Map<String, String> labels) {
        return reason(service, name, severity, labels) != null;
    }

    /** The reason of the first of {@code all} that suppresses the alert (silences before maintenance windows). */
    static Suppression first(Suppression... all) {
        return (service, name, severity, labels) -> {
            for (Suppression s : all) {
                String why = s.reason(service, name, severity, labels);
                if (why != null) return why;
            }
            return null;
        };
    }
}
