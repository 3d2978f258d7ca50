package dev.opsdeck.runbook.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Takes named values out of a step's output for later steps: a regex's first group, or a JSON path. */
final class Extraction {

    private Extraction() {}

    static Map<String, String> apply(Map<String, ShellStepType.Extract> extract, String output) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode doc = null;
        for (var e : extract.entrySet()) {
            ShellStepType.Extract x = e.getValue();
            if (x.regex() != null) {
                Matcher m = Pattern.compile(x.regex()).matcher(output);
                if (m.find()) out.put(e.getKey(), m.groupCount() > 0 ? m.group(1) : m.group());
            } else {
                if (doc == null) {
                    try {
                        doc = Json.MAPPER.readTree(output.strip());
                    } catch (Exception notJson) {
                        continue;
                    }
                }
                JsonNode v = path(doc, x.json());
                if (v != null && !v.isMissingNode() && !v.isNull())
                    out.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return out;
    }

    /** {@code $.a.b[0].c}: object keys and list indexes. */
    static JsonNode path(JsonNode doc, String path) {
        JsonNode cur = doc;
        Matcher m = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]").matcher(path.substring(1));
        while (cur != null && m.find())
            cur = m.group(1) != null ? cur.get(m.group(1)) : cur.get(Integer.parseInt(m.group(2)));
        return cur;
    }
}
