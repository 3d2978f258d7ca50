package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code summary} and {@code description} templates of alert rules: {@code {{service}}}, {@code {{check}}},
 * {@code {{value}}}, {@code {{message}}}, {@code {{severity}}}. Checked at load, so a typo is a config error
 * with its position rather than a blank in a page.
 */
public final class AlertTemplate {
    public static final List<String> PLACEHOLDERS = List.of("service", "check", "value", "message", "severity");
    /** Labels Opsdeck puts on every rule alert; a rule may not set them itself. */
    public static final List<String> RESERVED_LABELS = List.of("alertname", "service", "check");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    private AlertTemplate() {}

    /** Unknown placeholders and unclosed braces in {@code text}; empty when it is fine. */
    public static List<String> problems(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int end = 0;
        while (m.find()) {
            if (text.substring(end, m.start()).contains("{{")) out.add("unclosed \"{{\"");
            String name = m.group(1);
            if (!PLACEHOLDERS.contains(name)) {
                String guess = Fields.closest(name, PLACEHOLDERS);
                out.add("unknown placeholder {{" + name + "}}"
                        + (guess != null ? " (did you mean {{" + guess + "}}?)" : ""));
            }
            end = m.end();
        }
        if (text.substring(end).contains("{{")) out.add("unclosed \"{{\"");
        return out;
    }

    /** Fills a template checked by {@link #problems}; a placeholder without a value becomes empty text. */
    public static String render(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
