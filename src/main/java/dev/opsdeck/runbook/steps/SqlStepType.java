package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.probe.RunbookProbes;
import java.time.Duration;

/** {@code sql}: a query on a datasource, its arguments bound as parameters, judged by its conditions. */
final class SqlStepType implements StepType {
    @Override
    public String name() {
        return "sql";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) {
        RunbookStep.Sql sql = (RunbookStep.Sql) step.action();
        // the loader parsed the conditions already, so there are no problems left to report here
        return SqlStep.run(
                run.datasource(sql.datasource()),
                sql.query(),
                StepTemplates.render(sql.args(), run.values()),
                RunbookProbes.parse(sql.conditions(), RunbookProbes.SQL_PLACEHOLDERS, new Problems()),
                timeout);
    }
}
