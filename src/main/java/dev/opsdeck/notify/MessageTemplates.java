package dev.opsdeck.notify;

import dev.opsdeck.config.TemplateText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The built-in message texts and how any template is filled in. The first line is the headline (the email
 * subject, Slack's notification text). A line whose placeholders are all empty is left out, so a message
 * without a runbook shows no "Runbook:" line. Placeholders were checked when the config was loaded.
 */
final class MessageTemplates {
    private static final String DETAILS = """
            Service: {{service}}
            Root cause: {{root_cause}}
            Impacted: {{impacted}}
            Recent changes: {{recent_changes}}
            {{summary}}
            Runbook: {{runbook}}
            Dashboard: {{incident_url}}""";

    private static final Map<String, String> CORE = Map.of(
            "incident.triggered",
                    "[{{severity}}] Incident {{incident_id}} triggered: {{title}}\n"
                            + "Paged: {{paged}} {{contact_slack}}\n" + DETAILS,
            "incident.acknowledged",
                    "[{{severity}}] Incident {{incident_id}} acknowledged by {{actor}}: {{title}}\n" + DETAILS,
            "incident.resolved",
                    "[{{severity}}] Incident {{incident_id}} resolved: {{title}}\nResolved by: {{actor}}\n" + DETAILS,
            "incident.escalated",
                    "[{{severity}}] Incident {{incident_id}} escalated (step {{step}}): {{title}}\n"
                            + "Not acknowledged yet.\nPaged: {{paged}} {{contact_slack}}\n" + DETAILS,
            "incident.sla_breached",
                    "[{{severity}}] Incident {{incident_id}} breached its {{sla}} SLA: {{title}}\n" + DETAILS,
            "backup.succeeded", "Backup {{target}} verified: {{file}} ({{size}} bytes)",
            "backup.failed", "Backup {{target}} {{status}}: {{file}}\n{{summary}}",
            "test",
                    "Opsdeck test message to channel {{channel}}\nSent by {{actor}} at {{time}}. If you read this, "
                            + "the channel works.",
            "runbook.notify", "Runbook {{runbook}}: {{title}}\n{{summary}}");

    /** Map.of takes at most ten pairs: the restore drills' and the impacted update's messages are added here. */
    static final Map<String, String> BUILT_IN = withDrills();

    private static Map<String, String> withDrills() {
        Map<String, String> all = new HashMap<>(CORE);
        all.put(
                "incident.impacted",
                "[{{severity}}] Incident {{incident_id}} now impacts {{impacted}}: {{title}}\n" + DETAILS);
        all.put("drill.passed", "Restore drill {{drill}} passed: {{file}} restored in {{rto}}, {{rpo}} old");
        all.put("drill.failed", "Restore drill {{drill}} {{status}}: {{file}}\n{{summary}}");
        all.put(
                "deploy.succeeded",
                "Deploy of {{service}} {{version}} to {{environment}} succeeded (was {{previous_version}}), by {{actor}}");
        all.put(
                "deploy.failed",
                "Deploy of {{service}} {{version}} to {{environment}} {{status}} (previous {{previous_version}}), by"
                        + " {{actor}}\n{{summary}}");
        return Map.copyOf(all);
    }

    private MessageTemplates() {}

    /** The text of {@code template} for a channel with these overrides, filled in with {@code fields}. */
    static Message render(String template, Map<String, String> overrides, Map<String, Object> fields) {
        String text = overrides.getOrDefault(template, BUILT_IN.get(template));
        if (text == null) throw new IllegalArgumentException("unknown template '" + template + "'");
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            Matcher m = TemplateText.PLACEHOLDER.matcher(line);
            StringBuilder out = new StringBuilder();
            boolean placeholders = false, anyValue = false;
            while (m.find()) {
                placeholders = true;
                String value = value(fields.get(m.group(1)));
                anyValue |= !value.isEmpty();
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            if (!placeholders || anyValue) lines.add(out.toString());
        }
        while (lines.size() > 1 && lines.getLast().isBlank()) lines.removeLast();
        String headline = lines.isEmpty() ? template : lines.getFirst().strip();
        return new Message(
                headline.isEmpty() ? template : headline,
                String.join("\n", lines).strip());
    }

    static String value(Object v) {
        if (v == null) return "";
        if (v instanceof Collection<?> c)
            return String.join(", ", c.stream().map(MessageTemplates::value).toList());
        return String.valueOf(v).strip();
    }

    /** A filled-in message: its headline and the whole text (headline included). */
    record Message(String headline, String text) {}
}
