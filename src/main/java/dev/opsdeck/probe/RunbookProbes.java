package dev.opsdeck.probe;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of runbook steps that speak the check language: {@code http} steps and {@code wait} on a URL are
 * http checks, {@code sql} steps are judged with conditions on {@code [VALUE]} and {@code [ROWS]}, and every
 * step's {@code when:} is a condition over parameters and earlier steps. Their step types use these.
 */
public final class RunbookProbes {
    /** What a {@code sql} step measures. */
    public static final Set<String> SQL_PLACEHOLDERS = Set.of("VALUE", "ROWS", "RESPONSE_TIME");

    private static final List<String> WAIT_KEYS = List.of("check", "interval");

    private RunbookProbes() {}

    /** The key an earlier step's value has in the observation {@code when:} conditions read. */
    public static String placeholder(String stepId, String name) {
        return "STEPS." + up(stepId) + "." + up(name);
    }

    public static String up(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /** Parses conditions, reporting problems at their lines; the caller decides whether to go on. */
    public static List<Condition> parse(List<YamlNode> texts, Set<String> placeholders, Problems problems) {
        List<Condition> out = new ArrayList<>();
        for (YamlNode n : texts) {
            try {
                out.add(ConditionParser.parse(n.text(), placeholders));
            } catch (ConditionSyntaxException e) {
                problems.add(n.position(), "bad condition: " + e.getMessage(), e.hint());
            }
        }
        return out;
    }

    /**
     * An http step (or a wait on a URL) as a runnable check; {@code spec} has its templates already filled in.
     * Null when the settings are wrong (reported in {@code problems}).
     */
    public static CompiledCheck http(
            CheckTypes types,
            String runbook,
            RunbookStep step,
            YamlNode spec,
            List<YamlNode> conditions,
            Duration timeout,
            Problems problems) {
        CheckType type = types.get("http");
        CheckDef def = new CheckDef(
                runbook,
                step.id(),
                "http",
                spec.position(),
                timeout,
                timeout,
                1,
                1,
                conditions,
                List.of(),
                spec,
                spec.position());
        Fields f = new Fields(spec, "runbooks." + runbook + " step " + step.id(), problems);
        RunbookStep.COMMON_KEYS.forEach(f::node);
        WAIT_KEYS.forEach(f::node);
        f.node("conditions");
        Probe probe = type.configure(def, f);
        f.finish();
        List<Condition> parsed = parse(conditions, type.placeholders(), problems);
        if (conditions.isEmpty())
            parsed = parse(
                    List.of(YamlNode.scalar("[STATUS] < 400", spec.position(), false)), type.placeholders(), problems);
        if (probe == null) return null;
        return new CompiledCheck(def, probe, parsed, List.of());
    }
}
