package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code check}: runs a configured check now; up or degraded passes. */
final class CheckStepType implements StepType {
    @Override
    public String name() {
        return "check";
    }

    /** Run the configured check {@code check} ({@code service/check}) now. */
    record CheckNow(String check) implements StepSettings {}

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String check = reading.check(step, f, true);
        f.finish();
        return check == null ? null : new CheckNow(check);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout) {
        return checkNow(run, ((CheckNow) settings).check());
    }

    static StepResult checkNow(StepContext run, String id) {
        CompiledCheck c = run.check(id);
        if (c == null) return StepResult.failed("no check '" + id + "' is running");
        return judged(c.run());
    }

    /** A check's result as a step's: its values for later steps ({@code [STATUS]} becomes {@code http_status}). */
    static StepResult judged(CheckResult r) {
        Map<String, String> v = new LinkedHashMap<>();
        r.values()
                .forEach((k, x) ->
                        v.put(k.equals("STATUS") ? "http_status" : k.toLowerCase(Locale.ROOT), String.valueOf(x)));
        boolean ok = r.status() == Status.UP || r.status() == Status.DEGRADED;
        return new StepResult(
                ok, null, r.status().name().toLowerCase(Locale.ROOT) + ": " + r.message(), v, r.message());
    }
}
