package dev.opsdeck.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An alert that is pending or firing (resolved alerts are gone). Immutable: a transition replaces it, so
 * readers (API, metrics) never see half an update.
 *
 * @param sinceMs   when it became pending, or when it fired
 * @param rootCause the service at the root of the failure when it fired (its own service if it is the cause)
 * @param value     the measured value that made it fire, as shown in {@code {{value}}}
 */
public record ActiveAlert(
        String fingerprint,
        String name,
        State state,
        AlertEvent.Severity severity,
        String service,
        String check,
        long sinceMs,
        boolean suppressed,
        String rootCause,
        String summary,
        String description,
        String runbook,
        Map<String, String> labels,
        String value) {
    public enum State {
        PENDING,
        FIRING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A firing event known again as an alert, firing since {@code sinceMs}; nothing was measured, so no value. */
    public static ActiveAlert firing(AlertEvent e, String check, long sinceMs) {
        return new ActiveAlert(
                e.fingerprint(),
                e.name(),
                State.FIRING,
                e.severity(),
                e.service(),
                check,
                sinceMs,
                e.suppressed(),
                e.rootCause(),
                e.summary(),
                e.description(),
                e.runbook(),
                e.labels(),
                null);
    }

    /** The JSON shape of {@code GET /api/v1/alerts}; field names are a stable contract. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", fingerprint);
        m.put("name", name);
        m.put("state", state.label());
        m.put("severity", severity.name());
        m.put("service", service);
        m.put("check", check);
        m.put("since", Instant.ofEpochMilli(sinceMs).toString());
        m.put("suppressed", suppressed);
        m.put("root_cause", rootCause);
        m.put("summary", summary);
        m.put("description", description);
        m.put("runbook", runbook);
        m.put("labels", labels);
        m.put("value", value);
        return m;
    }
}
