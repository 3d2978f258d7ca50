package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.RunbookStep;
import java.time.Duration;
import java.util.Map;

/** {@code notify}: queues a message to a configured channel; the outbox delivers it. */
final class NotifyStepType implements StepType {
    @Override
    public String name() {
        return "notify";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) {
        RunbookStep.Notify n = (RunbookStep.Notify) step.action();
        String text = run.mask(StepTemplates.render(n.message(), run.values()));
        long id = run.notifier()
                .enqueue(
                        n.channel(),
                        "runbook-" + run.runId() + "-" + step.id() + "-" + run.seq(),
                        "runbook.notify",
                        Map.of(
                                "runbook",
                                run.runbookId(),
                                "title",
                                text,
                                "summary",
                                "Run " + run.runId() + " started by " + run.startedBy(),
                                "actor",
                                run.startedBy()));
        return StepResult.ok("queued as message " + id + " to " + n.channel());
    }
}
