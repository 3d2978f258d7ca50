package dev.opsdeck.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IntegrationsConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prometheus Alertmanager's webhook payload (version 4) as alert events. The whole payload is checked before any
 * event is made, and every problem is reported with its field ({@code alerts[2].labels: expected an object}).
 * Fields Alertmanager adds that Opsdeck does not use (groupKey, receiver, externalURL, ...) are ignored.
 */
public final class AlertmanagerIntake {
    private static final Set<String> STATUSES = Set.of("firing", "resolved");

    private AlertmanagerIntake() {}

    public static List<AlertEvent> parse(JsonNode body, IntegrationsConfig.Integration integration) {
        if (body == null || !body.isObject()) throw new IntakeRejected(List.of("body: expected a JSON object"));
        JsonFields f = new JsonFields();
        String version = f.text(body, "version", "version", true);
        if (version != null && !version.equals("4")) {
            f.problems.add("version: expected \"4\" (the Alertmanager webhook format); got '" + version + "'");
        }
        f.oneOf(body, "status", "status", true, STATUSES);
        JsonNode alerts = body.get("alerts");
        if (alerts == null || alerts.isNull()) {
            f.problems.add("alerts: required");
        } else if (!alerts.isArray()) {
            f.problems.add("alerts: expected a list, got " + JsonFields.kind(alerts));
        }
        List<AlertEvent> out = new ArrayList<>();
        for (int i = 0; alerts != null && alerts.isArray() && i < alerts.size(); i++) {
            AlertEvent e = alert(alerts.get(i), "alerts[" + i + "]", integration, f);
            if (e != null) out.add(e);
        }
        f.throwIfAny();
        return out;
    }

    private static AlertEvent alert(JsonNode a, String path, IntegrationsConfig.Integration integration, JsonFields f) {
        if (!a.isObject()) {
            f.problems.add(path + ": expected an object, got " + JsonFields.kind(a));
            return null;
        }
        int before = f.problems.size();
        String status = f.oneOf(a, "status", path + ".status", true, STATUSES);
        Map<String, String> labels = f.strings(a, "labels", path + ".labels", true);
        if (a.path("labels").isObject()
                && !labels.containsKey("alertname")
                && a.path("labels").get("alertname") == null) {
            f.problems.add(path + ".labels.alertname: required");
        }
        Map<String, String> annotations = f.strings(a, "annotations", path + ".annotations", false);
        Instant startsAt = f.time(a, "startsAt", path + ".startsAt", true);
        Instant endsAt = f.time(a, "endsAt", path + ".endsAt", false);
        String fingerprint = f.text(a, "fingerprint", path + ".fingerprint", false);
        if (f.problems.size() > before) return null;
        boolean resolved = status.equals("resolved");
        String name = labels.get("alertname");
        String service = labels.getOrDefault("service", labels.get("job"));
        String summary = annotations.getOrDefault("summary", annotations.getOrDefault("description", name));
        String runbook = annotations.getOrDefault("runbook_url", annotations.get("runbook"));
        // Alertmanager writes endsAt 0001-01-01 for an alert with no end yet
        Instant at = resolved && endsAt != null && endsAt.isAfter(Instant.EPOCH) ? endsAt : startsAt;
        return new AlertEvent(
                fingerprint != null && !fingerprint.isBlank() ? fingerprint : fingerprintOf(labels),
                "alertmanager",
                name,
                resolved ? AlertEvent.State.RESOLVED : AlertEvent.State.FIRING,
                severity(labels.get(integration.severityLabel()), integration.defaultSeverity()),
                service,
                service,
                List.of(),
                false,
                labels,
                summary,
                annotations.get("description"),
                runbook,
                at,
                null);
    }

    /** P1..P4 as written, or the words people use in severity labels; anything else: the integration's default. */
    static AlertEvent.Severity severity(String label, String fallback) {
        String s = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
        return AlertEvent.Severity.valueOf(
                switch (s) {
                    case "p1", "critical", "page", "emergency" -> "P1";
                    case "p2", "high", "error", "major" -> "P2";
                    case "p3", "warning", "medium", "minor" -> "P3";
                    case "p4", "info", "low", "none" -> "P4";
                    default -> fallback;
                });
    }

    /** The same labels give the same fingerprint, as in Alertmanager (which sends its own; this is the fallback). */
    static String fingerprintOf(Map<String, String> labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(labels).forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
