package dev.opsdeck.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code integrations:} named senders of alerts from outside (Prometheus Alertmanager, the generic events API),
 * each with its own bearer token so one can be revoked without the others.
 */
public record IntegrationsConfig(Map<String, Integration> byName) {
    public static final IntegrationsConfig DEFAULTS = new IntegrationsConfig(Map.of());
    public static final Set<String> TYPES = new TreeSet<>(List.of("alertmanager", "events"));
    static final Set<String> SEVERITIES = new TreeSet<>(List.of("P1", "P2", "P3", "P4"));

    /**
     * @param severityLabel the Alertmanager label holding the severity (alertmanager only)
     */
    public record Integration(String name, String type, String token, String defaultSeverity, String severityLabel) {
        /** The token is a secret: never in logs or error messages. */
        @Override
        public String toString() {
            return "Integration[" + name + ", " + type + ", " + defaultSeverity + ", " + severityLabel + "]";
        }
    }

    /** Reads a mapping of integration names, each read with its own unknown-key check. */
    public static IntegrationsConfig read(YamlNode node, Problems problems) {
        if (node == null || node.isNull()) return DEFAULTS;
        if (!node.isMap()) {
            problems.add(
                    node.position(), "integrations: expected a mapping of integration names, got " + node.describe());
            return DEFAULTS;
        }
        Map<String, Integration> out = new LinkedHashMap<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        node.entries().forEach((key, value) -> {
            if (!value.isMap()) {
                problems.add(
                        value.position(),
                        "integrations." + key.name() + ": expected a mapping with type and token, got "
                                + value.describe());
                return;
            }
            Fields f = new Fields(value, "integrations." + key.name(), problems);
            String type = f.oneOf("type", null, TYPES);
            if (type == null && !f.has("type")) f.requiredString("type");
            String token = f.secret("token", null);
            if (token == null || token.isBlank()) {
                problems.add(
                        f.positionOf("token"),
                        f.section() + ": missing required key 'token'",
                        "write it as ${env:NAME} or ${file:path}, not in the file");
            } else if (tokens.containsKey(token)) {
                problems.add(
                        f.positionOf("token"),
                        f.section() + ".token: the same token as integrations." + tokens.get(token),
                        "give each integration its own token");
            } else {
                tokens.put(token, key.name());
            }
            String severity = f.oneOf("default_severity", "P3", SEVERITIES);
            String label = f.string("severity_label", "severity");
            if (f.has("severity_label") && "events".equals(type)) {
                problems.add(
                        f.positionOf("severity_label"),
                        f.section() + ".severity_label: only for type alertmanager",
                        "events carry payload.severity");
            }
            f.finish();
            if (type != null && token != null && !token.isBlank()) {
                out.put(key.name(), new Integration(key.name(), type, token, severity, label));
            }
        });
        return new IntegrationsConfig(Collections.unmodifiableMap(out));
    }
}
