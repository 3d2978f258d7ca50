package dev.opsdeck.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IntegrationsConfig;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generic events API, in the style of PagerDuty Events v2: {@code event_action} trigger, acknowledge or
 * resolve; {@code dedup_key} ties them together (made from source and summary when a trigger has none);
 * {@code payload} with summary, source, severity (critical, error, warning, info: P1 to P4) and custom details.
 */
public final class EventsIntake {
    private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    private EventsIntake() {}

    public static AlertEvent parse(JsonNode body, IntegrationsConfig.Integration integration, Instant now) {
        if (body == null || !body.isObject()) throw new IntakeRejected(List.of("body: expected a JSON object"));
        JsonFields f = new JsonFields();
        f.text(body, "routing_key", "routing_key", false); // the bearer token authenticates; accepted for compatibility
        String action = f.oneOf(body, "event_action", "event_action", true, ACTIONS);
        String dedupKey = f.text(body, "dedup_key", "dedup_key", action != null && !action.equals("trigger"));
        if (dedupKey != null && (dedupKey.isBlank() || dedupKey.length() > 255)) {
            f.problems.add("dedup_key: expected 1 to 255 characters");
        }
        JsonNode payload = body.get("payload");
        boolean trigger = "trigger".equals(action);
        String summary = null, source = null, severity = null;
        Instant at = now;
        Map<String, String> details = new LinkedHashMap<>();
        if (payload == null || payload.isNull()) {
            if (trigger) f.problems.add("payload: required");
        } else if (!payload.isObject()) {
            f.problems.add("payload: expected an object, got " + JsonFields.kind(payload));
        } else {
            summary = f.text(payload, "summary", "payload.summary", trigger);
            if (summary != null && summary.length() > 1024)
                f.problems.add("payload.summary: longer than 1024 characters");
            source = f.text(payload, "source", "payload.source", trigger);
            severity = f.oneOf(payload, "severity", "payload.severity", trigger, SEVERITIES);
            Instant t = f.time(payload, "timestamp", "payload.timestamp", false);
            if (t != null) at = t;
            for (String key : new String[] {"component", "group", "class"}) {
                String v = f.text(payload, key, "payload." + key, false);
                if (v != null) details.put(key, v);
            }
            JsonNode custom = payload.get("custom_details");
            if (custom != null && !custom.isNull() && !custom.isObject()) {
                f.problems.add("payload.custom_details: expected an object, got " + JsonFields.kind(custom));
            } else if (custom != null) {
                custom.properties()
                        .forEach(e -> details.put(
                                e.getKey(),
                                e.getValue().isTextual()
                                        ? e.getValue().asText()
                                        : e.getValue().toString()));
            }
        }
        f.throwIfAny();
        String key = dedupKey != null
                ? dedupKey
                : AlertmanagerIntake.fingerprintOf(Map.of("source", source, "summary", summary));
        AlertEvent.State state = switch (action) {
            case "trigger" -> AlertEvent.State.FIRING;
            case "acknowledge" -> AlertEvent.State.ACKNOWLEDGED;
            default -> AlertEvent.State.RESOLVED;
        };
        AlertEvent.Severity level = severity == null
                ? AlertEvent.Severity.valueOf(integration.defaultSeverity())
                : AlertmanagerIntake.severity(severity, integration.defaultSeverity());
        return new AlertEvent(
                key,
                "events",
                summary != null ? summary : key,
                state,
                level,
                source,
                source,
                List.of(),
                false,
                details,
                summary,
                null,
                details.get("runbook"),
                at,
                null);
    }
}
