package dev.opsdeck.probe;

import dev.opsdeck.config.DrillDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;

/**
 * Restore drills' custom SQL assertions speak the check language of runbook {@code sql} steps: {@code [VALUE]} is
 * the first column of the first row, {@code [ROWS]} the number of rows. Validated with the rest of the config.
 */
public final class DrillProbes {
    private DrillProbes() {}

    public static void validate(OpsdeckConfig config, Problems problems) {
        for (DrillDef d : config.keep().drills().values()) {
            for (DrillDef.Assertion a : d.assertions()) {
                try {
                    condition(a);
                } catch (ConditionSyntaxException e) {
                    problems.add(
                            a.expectPosition(),
                            "drills." + d.name() + ".assertions." + a.name() + ".expect: bad condition: "
                                    + e.getMessage(),
                            e.hint());
                }
            }
        }
    }

    /** The assertion's {@code expect:} as a condition over {@code [VALUE]}, {@code [ROWS]} and {@code [RESPONSE_TIME]}. */
    public static Condition condition(DrillDef.Assertion a) throws ConditionSyntaxException {
        return ConditionParser.parse(a.expect(), RunbookProbes.SQL_PLACEHOLDERS);
    }
}
