package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vocabulary of notification templates: which messages exist, which {@code {{field}}} placeholders they
 * may use, and the check that a template text uses only those. It lives in config so a typo in a channel's
 * template is a config error at load time, with its position, instead of a blank in a page at 3 a.m.
 */
public final class TemplateText {
    /** {@code {{ name }}}: letters, digits and underscores, spaces around the name allowed. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]*)\\s*}}");

    /** The messages a channel sends; a channel's {@code templates:} may override any of them. */
    public static final Set<String> NAMES = Set.of(
            "incident.triggered",
            "incident.acknowledged",
            "incident.resolved",
            "incident.escalated",
            "incident.sla_breached",
            "incident.impacted",
            "test",
            "backup.succeeded",
            "backup.failed",
            "runbook.notify",
            "drill.passed",
            "drill.failed",
            "deploy.succeeded",
            "deploy.failed");

    /** The fields a message may show. The incident manager fills most; the notifier adds channel and time. */
    public static final Set<String> FIELDS = Set.of(
            "channel",
            "time",
            "incident_id",
            "title",
            "severity",
            "status",
            "service",
            "root_cause",
            "impacted",
            "recent_changes",
            "summary",
            "runbook",
            "incident_url",
            "actor",
            "started_at",
            "step",
            "sla",
            "target",
            "file",
            "size",
            "drill",
            "rto",
            "rpo",
            "paged",
            "contact",
            "contact_email",
            "contact_slack",
            "contact_phone",
            "version",
            "previous_version",
            "deploy_id",
            "environment");

    private TemplateText() {}

    /** What is wrong with a template text: unknown placeholders and unclosed braces; empty when it is fine. */
    public static List<String> problems(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int end = 0;
        while (m.find()) {
            String between = text.substring(end, m.start());
            if (between.contains("{{")) out.add("unclosed \"{{\" at character " + (end + between.indexOf("{{") + 1));
            String name = m.group(1);
            if (!FIELDS.contains(name)) {
                String guess = Fields.closest(name, FIELDS);
                out.add("unknown placeholder {{" + name + "}} at character " + (m.start() + 1)
                        + (guess != null ? " (did you mean {{" + guess + "}}?)" : ""));
            }
            end = m.end();
        }
        String rest = text.substring(end);
        if (rest.contains("{{")) out.add("unclosed \"{{\" at character " + (end + rest.indexOf("{{") + 1));
        return out;
    }
}
