package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in {@code {{params.x}}} and {@code {{steps.id.value}}} where a step expects data. The loader already
 * refused templates in scripts and SQL, and names that do not exist; a value a step did not produce is empty.
 */
final class StepTemplates {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");

    private StepTemplates() {}

    /** {@code values}: "params.x" and "steps.id.value" to their text. */
    static String render(String text, Map<String, String> values) {
        if (text == null || !text.contains("{{")) return text;
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        m.appendTail(out);
        return out.toString();
    }

    static YamlNode render(YamlNode node, Map<String, String> values) {
        return switch (node.kind()) {
            case SCALAR -> YamlNode.scalar(render(node.text(), values), node.position(), node.fromSecret());
            case NULL -> node;
            case LIST ->
                YamlNode.list(node.items().stream().map(n -> render(n, values)).toList(), node.position());
            case MAP -> {
                LinkedHashMap<YamlNode.Key, YamlNode> m = new LinkedHashMap<>();
                node.entries().forEach((k, v) -> m.put(k, render(v, values)));
                yield YamlNode.map(m, node.position());
            }
        };
    }

    static List<String> render(List<String> texts, Map<String, String> values) {
        return texts.stream().map(t -> render(t, values)).toList();
    }
}
