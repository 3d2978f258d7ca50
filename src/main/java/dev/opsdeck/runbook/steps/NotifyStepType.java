package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import java.time.Duration;
import java.util.Map;

/** {@code notify}: queues a message to a configured channel; the outbox delivers it. */
final class NotifyStepType implements StepType {
    @Override
    public String name() {
        return "notify";
    }

    /** Post {@code message} to the configured channel {@code channel}. */
    record Notify(String channel, String message) implements StepSettings {}

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String channel = f.requiredString("channel");
        String message = reading.templated(f, "message", f.requiredString("message"));
        f.finish();
        return new Notify(channel, message);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout) {
        Notify n = (Notify) settings;
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
