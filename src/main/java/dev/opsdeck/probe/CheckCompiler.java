package dev.opsdeck.probe;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns check definitions into runnable checks, reporting type and condition errors with positions. */
public final class CheckCompiler {
    private final CheckTypes types;
    /**
     * Conditions parsed so far, by check type and text: a parsed condition is immutable, and thousands of checks
     * written from one template share a few condition texts, so each text is parsed and kept once.
     */
    private final Map<String, Condition> parsed = new ConcurrentHashMap<>();

    public CheckCompiler(CheckTypes types) {
        this.types = types;
    }

    /** Compiles every check; returns those that compiled (check {@code problems} before using them). */
    public Map<String, CompiledCheck> compileAll(OpsdeckConfig config, Problems problems) {
        Map<String, CompiledCheck> out = new LinkedHashMap<>();
        for (CheckDef def : config.checks()) {
            CompiledCheck c = compile(def, problems);
            if (c != null) out.put(def.id(), c);
            // alert rules' `when` conditions read this check's values: parse them with its type's placeholders
            CheckType type = types.get(def.type());
            if (type != null) parse(config.paging().alerts().conditionsOn(def.id()), type, problems);
        }
        DrillProbes.validate(config, problems); // restore drills' SQL assertions speak the same condition language
        return out;
    }

    public CompiledCheck compile(CheckDef def, Problems problems) {
        return compile(def, null, problems);
    }

    /**
     * Compiles a check whose keys sit in another section (a checklist item's inline check): {@code settings} reads
     * them with that section's name and has the keys that are not the type's marked as read; null for a check of
     * {@code services:}.
     */
    public CompiledCheck compile(CheckDef def, Fields settings, Problems problems) {
        CheckType type = types.get(def.type());
        if (type == null) {
            String guess = Fields.closest(def.type(), types.names());
            problems.add(
                    def.typePosition(),
                    "unknown check type \"" + def.type() + "\"",
                    guess != null
                            ? "did you mean '" + guess + "'?"
                            : "known types: " + String.join(", ", types.names()));
            return null;
        }
        if (settings == null) settings = def.typeFields(problems);
        Probe probe = type.configure(def, settings);
        settings.finish();
        List<Condition> conditions = parse(def.conditions(), type, problems);
        if (def.conditions().isEmpty()) {
            for (String text : type.defaultConditions(settings)) {
                try {
                    conditions.add(condition(text, type));
                } catch (ConditionSyntaxException e) {
                    throw new IllegalStateException("default condition of " + type.name() + " is invalid: " + text, e);
                }
            }
        }
        List<Condition> degraded = parse(def.degradedWhen(), type, problems);
        return probe == null ? null : new CompiledCheck(def, probe, conditions, degraded);
    }

    private Condition condition(String text, CheckType type) throws ConditionSyntaxException {
        String key = type.name() + "\n" + text;
        Condition known = parsed.get(key);
        if (known != null) return known;
        Condition c = ConditionParser.parse(text, type.placeholders());
        parsed.put(key, c);
        return c;
    }

    private List<Condition> parse(List<YamlNode> texts, CheckType type, Problems problems) {
        List<Condition> out = new ArrayList<>();
        for (YamlNode n : texts) {
            try {
                out.add(condition(n.text(), type));
            } catch (ConditionSyntaxException e) {
                problems.add(n.position(), "bad condition: " + e.getMessage(), e.hint());
            }
        }
        return out;
    }
}
