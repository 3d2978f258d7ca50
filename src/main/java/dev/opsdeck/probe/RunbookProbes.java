package dev.opsdeck.probe;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of runbook steps that speak the check language: {@code http} steps and {@code wait} on a URL are
 * http checks, {@code sql} steps are judged with conditions on {@code [VALUE]} and {@code [ROWS]}, and every
 * step's {@code when:} is a condition over parameters and earlier steps. Validated with the rest of the config.
 */
public final class RunbookProbes {
    /** What a {@code sql} step measures. */
    public static final Set<String> SQL_PLACEHOLDERS = Set.of("VALUE", "ROWS", "RESPONSE_TIME");

    private static final List<String> WAIT_KEYS = List.of("check", "interval");

    private RunbookProbes() {}

    /** Checks every runbook's conditions, check references and (template-free) http settings. */
    public static void validate(OpsdeckConfig config, CheckTypes types, Problems problems) {
        Set<String> checks = new LinkedHashSet<>();
        config.checks().forEach(c -> checks.add(c.id()));
        for (RunbookDef rb : config.runbooks().runbooks().values()) {
            List<RunbookStep> before = new ArrayList<>();
            List<RunbookStep> all = new ArrayList<>(rb.steps());
            all.addAll(rb.rollback());
            for (RunbookStep step : all) {
                String where = "runbooks." + rb.id() + " step " + step.id();
                if (step.when() != null) {
                    try {
                        ConditionParser.parse(step.when(), whenPlaceholders(rb, before));
                    } catch (ConditionSyntaxException e) {
                        problems.add(step.whenPosition(), where + ".when: bad condition: " + e.getMessage(), e.hint());
                    }
                }
                switch (step.action()) {
                    case RunbookStep.Http http -> validateHttp(rb, step, http, types, problems);
                    case RunbookStep.Wait w when w.http() != null -> validateHttp(rb, step, w.http(), types, problems);
                    case RunbookStep.Sql sql -> parse(sql.conditions(), SQL_PLACEHOLDERS, problems);
                    default -> {}
                }
                String check = step.action() instanceof RunbookStep.CheckNow c
                        ? c.check()
                        : step.action() instanceof RunbookStep.Wait w ? w.check() : null;
                if (check != null
                        && check.contains("/")
                        && !checks.contains(check)
                        && config.service(check.substring(0, check.indexOf('/')))
                                .isPresent()) {
                    problems.add(
                            step.position(),
                            where + ".check: no check '" + check + "'",
                            "name a configured, enabled check as service/check");
                }
                before.add(step);
            }
        }
    }

    /** The placeholders a step's {@code when:} may use: {@code [params.NAME]}, {@code [steps.ID.status]} and more. */
    public static Set<String> whenPlaceholders(RunbookDef rb, List<RunbookStep> before) {
        Set<String> out = new LinkedHashSet<>();
        rb.params().forEach(p -> out.add("PARAMS." + up(p.name())));
        for (RunbookStep s : before) {
            String prefix = "STEPS." + up(s.id()) + ".";
            for (String v : List.of("STATUS", "EXIT_CODE", "OUTPUT", "DURATION", "VALUE", "ROWS", "HTTP_STATUS"))
                out.add(prefix + v);
            if (s.action() instanceof RunbookStep.Shell sh)
                sh.extract().keySet().forEach(k -> out.add(prefix + up(k)));
        }
        return out;
    }

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

    private static void validateHttp(
            RunbookDef rb, RunbookStep step, RunbookStep.Http http, CheckTypes types, Problems problems) {
        if (http.spec().canonical().contains("{{")) {
            // filled in at run time; the conditions can still be checked now
            parse(http.conditions(), types.get("http").placeholders(), problems);
            return;
        }
        CompiledCheck c = http(types, rb.id(), step, http.spec(), http.conditions(), step.timeout(), problems);
        if (c != null) c.close();
    }
}
