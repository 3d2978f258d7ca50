package dev.opsdeck.web;

import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.runbook.Runbooks;
import java.util.List;

/** The runbooks that apply to an incident: offered on its page, and the order the runbook catalogue lists them in. */
public final class RunbookChoices {
    private final Runbooks runbooks;

    public RunbookChoices(Runbooks runbooks) {
        this.runbooks = runbooks;
    }

    /** {@code ruleRunbook}: the runbook the incident's alert rule names, offered first (may be null). */
    List<RunbookModels.Choice> of(IncidentManager.Detail d, String ruleRunbook) {
        List<RunbookDef> all =
                runbooks.catalogue().stream().map(Runbooks.Entry::def).toList();
        return RunbookModels.applicable(all, d.incident(), d.impacted(), d.alerts(), ruleRunbook);
    }
}
