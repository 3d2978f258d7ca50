package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.RunbookText;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.RunbookProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code sql}: a query on a datasource, its arguments bound as parameters, judged by its conditions. */
final class SqlStepType implements StepType {
    @Override
    public String name() {
        return "sql";
    }

    /** A query on a datasource, its {@code args} bound as parameters, never spliced. */
    record Sql(String datasource, String query, List<String> args, List<YamlNode> conditions) implements StepSettings {
        @Override
        public String toString() {
            return "Sql[" + datasource + ", " + query + ", " + args + ", "
                    + conditions.stream().map(YamlNode::text).toList() + "]";
        }
    }

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String where = reading.where();
        String ds = f.requiredString("datasource");
        if (ds != null && !reading.scope().datasources().contains(ds)) {
            reading.unknown(f, "datasource", ds, "datasource", reading.scope().datasources());
        }
        String query = f.requiredString("query");
        if (query != null && RunbookText.TEMPLATE.matcher(query).find()) {
            reading.problems()
                    .add(
                            f.positionOf("query"),
                            where + ".query: templates are not allowed in SQL",
                            "write ? placeholders and give the values as args:, which are bound, never spliced");
        }
        List<String> args = new ArrayList<>();
        for (YamlNode a : f.scalarList("args")) args.add(reading.templated(a, where + ".args", a.text()));
        List<YamlNode> conditions = f.scalarList("conditions");
        f.finish();
        if (ds == null || query == null) return null;
        RunbookProbes.parse(conditions, RunbookProbes.SQL_PLACEHOLDERS, reading.problems());
        return new Sql(ds, query, args, conditions);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout) {
        Sql sql = (Sql) settings;
        // configure parsed the conditions already, so there are no problems left to report here
        return SqlStep.run(
                run.datasource(sql.datasource()),
                sql.query(),
                StepTemplates.render(sql.args(), run.values()),
                RunbookProbes.parse(sql.conditions(), RunbookProbes.SQL_PLACEHOLDERS, new Problems()),
                timeout);
    }
}
