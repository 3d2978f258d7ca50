package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Datasource;
import dev.opsdeck.config.InventoryHost;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.ssh.SshRunner;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What a step sees of the run it is part of, and what it may ask of it. */
public interface StepContext {
    String runbookId();

    String runId();

    String startedBy();

    /** The step's number in the run, which keeps its notifications apart from a repeat's. */
    int seq();

    /** {@code params.NAME} and {@code steps.ID.VALUE} so far, which fill in the step's templates. */
    Map<String, String> values();

    /** Where the step's output goes as it comes, to be watched while it runs. */
    Output output();

    /** {@code text} with the run's secrets blanked out. */
    String mask(String text);

    /** The Opsdeck process's environment, of which a command sees only what it names. */
    UnaryOperator<String> environment();

    SshRunner ssh();

    InventoryHost host(String name);

    Datasource datasource(String name);

    CheckTypes checkTypes();

    /** A running configured check ({@code service/check}); null when there is none. */
    CompiledCheck check(String id);

    Notifier notifier();

    /** Pauses the run until a person with the approval's role decides, or the step's time is up. */
    StepResult awaitApproval(RunbookStep step, Approval approval) throws InterruptedException;

    /** Runs another runbook as part of this run, with {@code params} as given. */
    StepResult runRunbook(String runbook, Map<String, String> params);
}
