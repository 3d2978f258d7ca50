package dev.opsdeck.runbook.markdown;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/** Writes imported runbooks as configuration YAML; scripts and descriptions as literal blocks people can read. */
final class RunbookYaml {
    private RunbookYaml() {}

    static String write(List<ImportedRunbook> runbooks) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (ImportedRunbook rb : runbooks) all.put(rb.id(), runbook(rb));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        options.setSplitLines(false);
        String header = "# Imported from markdown. Every shell step asks for confirmation before it runs:\n"
                + "# review each one, then remove `confirm: true` where the step is safe to run unattended.\n";
        return header + new Yaml(new LiteralBlocks(options), options).dump(Map.of("runbooks", all));
    }

    private static Map<String, Object> runbook(ImportedRunbook rb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", rb.title());
        if (!rb.description().isBlank()) m.put("description", rb.description());
        if (rb.target() != null) m.put("target", rb.target());
        if (!rb.params().isEmpty() || !rb.choices().isEmpty()) {
            Map<String, Object> params = new LinkedHashMap<>();
            for (ImportedChoice c : rb.choices()) {
                Map<String, Object> def = new LinkedHashMap<>();
                def.put("type", "string");
                def.put("default", c.values().getFirst());
                def.put("allowed", c.values());
                StringBuilder d = new StringBuilder(c.description()).append(":");
                for (int i = 0; i < c.values().size(); i++) {
                    d.append(i == 0 ? " " : "; ")
                            .append(c.values().get(i))
                            .append(" = \"")
                            .append(c.labels().get(i))
                            .append('"');
                }
                def.put(
                        "description",
                        d.append(" (line ").append(c.line()).append(")").toString());
                params.put(c.name(), def);
            }
            for (ImportedParam p : rb.params()) {
                Map<String, Object> def = new LinkedHashMap<>();
                def.put("type", "string");
                def.put("required", true);
                if (p.secret()) def.put("secret", true);
                def.put("description", p.placeholder() + " in the imported document (line " + p.line() + ")");
                params.put(p.name(), def);
            }
            m.put("params", params);
        }
        m.put("steps", rb.steps().stream().map(RunbookYaml::step).toList());
        if (!rb.rollback().isEmpty())
            m.put("rollback", rb.rollback().stream().map(RunbookYaml::step).toList());
        return m;
    }

    private static Map<String, Object> step(ImportedStep s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("title", s.title());
        m.put("type", s.type());
        if (s.when() != null) m.put("when", s.when());
        if (s.target() != null) m.put("target", s.target());
        if (s.continueOnFailure()) m.put("on_failure", "continue");
        if (s.type().equals("shell")) {
            m.put("run", s.run());
            if (!s.env().isEmpty()) m.put("env", new LinkedHashMap<>(s.env()));
            m.put("confirm", true);
        } else {
            m.put("role", "operator");
            m.put("prompt", s.prompt());
        }
        return m;
    }

    /** Multi-line strings as {@code |} blocks instead of quoted lines full of \n. */
    private static final class LiteralBlocks extends Representer {
        LiteralBlocks(DumperOptions options) {
            super(options);
        }

        @Override
        protected Node representScalar(Tag tag, String value, DumperOptions.ScalarStyle style) {
            if (tag == Tag.STR
                    && value.contains("\n")
                    && value.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t')
                    && !value.contains(" \n")
                    && !value.endsWith(" ")) {
                return super.representScalar(tag, value, DumperOptions.ScalarStyle.LITERAL);
            }
            return super.representScalar(tag, value, style);
        }
    }
}
