package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.Units;
import java.time.Duration;

/** {@code wait}: polls a configured check, or a URL with conditions, until it holds or the step's time is up. */
final class WaitStepType implements StepType {
    /** The longest one poll may take. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "wait";
    }

    /** A configured check to poll, or a request ({@code http}) with conditions; {@code interval} between polls. */
    record Wait(String check, HttpStepType.Http http, Duration interval) implements StepSettings {}

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String check = reading.check(step, f, false);
        Duration interval = f.positiveDuration("interval", Duration.ofSeconds(5));
        HttpStepType.Http http = null;
        if (f.node("url") != null) {
            http = HttpStepType.read(step, f, reading);
        } else {
            f.node("conditions"); // only with url:
        }
        f.finish();
        if ((check == null) == (http == null)) {
            reading.problems()
                    .add(
                            f.position(),
                            reading.where() + ": a wait step needs either check: or url: (with conditions:)");
            return null;
        }
        return new Wait(check, http, interval);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout)
            throws InterruptedException {
        Wait w = (Wait) settings;
        long end = System.nanoTime() + timeout.toNanos();
        // a poll needs a little time to say something useful: one squeezed into the last milliseconds would only
        // report its own timeout instead of why the target still fails
        long least = Math.min(1_000_000_000L, timeout.toNanos() / 10);
        int polls = 0;
        StepResult last;
        while (true) {
            polls++;
            long left = Math.max(least, end - System.nanoTime());
            last = w.check() != null
                    ? CheckStepType.checkNow(run, w.check())
                    : HttpStepType.request(
                            step, w.http(), run, Duration.ofNanos(Math.min(POLL_TIMEOUT.toNanos(), left)));
            run.output().append(last.output() + "\n");
            if (last.ok()) return new StepResult(true, null, null, last.values(), "holds after " + polls + " polls");
            left = end - System.nanoTime();
            if (left < least + w.interval().toNanos()) break;
            Thread.sleep(w.interval().toMillis());
        }
        return new StepResult(
                false,
                null,
                null,
                last.values(),
                "still failing after " + Units.format(timeout) + " (" + polls + " polls): " + last.message());
    }
}
