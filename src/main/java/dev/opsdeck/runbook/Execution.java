package dev.opsdeck.runbook;

import dev.opsdeck.config.Datasource;
import dev.opsdeck.config.InventoryHost;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.Units;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.RunbookProbes;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import dev.opsdeck.runbook.ssh.SshRunner;
import dev.opsdeck.runbook.steps.Approval;
import dev.opsdeck.runbook.steps.Output;
import dev.opsdeck.runbook.steps.StepContext;
import dev.opsdeck.runbook.steps.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * One run in progress, on its own virtual thread: walks the steps, records each one as it starts and ends,
 * applies {@code when}, retries and {@code on_failure}, runs the rollback when the run fails.
 */
final class Execution {
    /** A pending approval or confirmation. */
    record Pending(String stepId, String role, boolean fourEyes, String prompt, CompletableFuture<Decision> decision) {}

    record Decision(boolean approved, String actor, String reason) {}

    /** A step cut short by a stopping server; the same words a restart uses for one cut short by a kill. */
    static final String STOPPED = "the server stopped while this step ran";

    private final Runbooks owner;
    private final CompiledRunbook runbook;
    private final RunbookDef def;
    private final Map<String, String> params;
    private final Masker masker;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final long deadlineMs;
    private volatile Run run;
    private volatile boolean cancelled;
    /** The server is stopping: the run ends as interrupted (resumable), not cancelled, and without its rollback. */
    private volatile boolean stopping;

    private volatile Thread thread;
    private volatile Output live;
    private volatile Pending pending;
    /** How the rollback ended, once it ran. */
    private Run.Rollback rollback;

    private int seq;

    Execution(
            Runbooks owner,
            CompiledRunbook runbook,
            Run run,
            Map<String, String> params,
            Masker masker,
            Map<String, String> restored,
            int seq) {
        this.owner = owner;
        this.runbook = runbook;
        this.def = runbook.def();
        this.run = run;
        this.params = params;
        this.masker = masker;
        this.seq = seq;
        params.forEach((k, v) -> values.put("params." + k, v));
        values.putAll(restored);
        this.deadlineMs = owner.clock().millis() + def.timeout().toMillis();
    }

    Run run() {
        return run;
    }

    Pending pending() {
        return pending;
    }

    /** The running step's output so far, masked; null between steps. */
    String liveOutput() {
        Output o = live;
        return o == null ? null : masker.mask(o.text());
    }

    void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    /** As cancel (the running command is killed with its process group), but the run is recorded interrupted. */
    void stop() {
        stopping = true;
        cancel();
    }

    /** Runs the steps from {@code from} (an index into the main steps) to the end; returns the final status. */
    Run.Status execute(int from) {
        thread = Thread.currentThread();
        update(Run.Status.RUNNING, null, null);
        boolean failed = false;
        String message = null;
        List<RunbookStep> steps = def.steps();
        for (int i = from; i < steps.size() && !cancelled; i++) {
            RunbookStep step = steps.get(i);
            Outcome o = step(step, "main");
            if (o == Outcome.OK || o == Outcome.SKIPPED) continue;
            if (cancelled) break;
            RunbookStep.OnFailure f = step.onFailure();
            message = "step " + step.id() + " failed";
            if (f.kind() == RunbookStep.OnFailure.Kind.CONTINUE) continue;
            if (f.kind() == RunbookStep.OnFailure.Kind.GOTO) {
                int target = indexOf(steps, f.ref());
                i = target - 1;
                continue;
            }
            if (f.kind() == RunbookStep.OnFailure.Kind.RUN) {
                record("main", step.id() + ".on_failure", "runbook", () -> subRun(f.ref(), Map.of()), null);
            }
            failed = true;
            break;
        }
        if (stopping) {
            String at = run.currentStep();
            update(
                    Run.Status.INTERRUPTED,
                    null,
                    at == null
                            ? "the server stopped before the run's first step; resume it"
                            : "the server stopped during step " + at + "; resume it from that step or from the start");
            return Run.Status.INTERRUPTED;
        }
        if (cancelled) {
            update(Run.Status.CANCELLED, null, "cancelled");
            return Run.Status.CANCELLED;
        }
        if (failed && !def.rollback().isEmpty()) {
            boolean allHeld = true;
            int done = 0;
            for (RunbookStep step : def.rollback()) {
                if (cancelled) break;
                if (step(step, "rollback") == Outcome.FAILED) allHeld = false;
                done++;
            }
            rollback = done < def.rollback().size()
                    ? Run.Rollback.INCOMPLETE
                    : allHeld ? Run.Rollback.SUCCEEDED : Run.Rollback.FAILED;
        }
        if (stopping) {
            update(
                    Run.Status.INTERRUPTED,
                    null,
                    "the server stopped during the rollback; resume the run from the start");
            return Run.Status.INTERRUPTED;
        }
        if (!failed && overDeadline()) failed = true;
        Run.Status end = failed ? Run.Status.FAILED : Run.Status.SUCCEEDED;
        update(end, null, failed ? message : "all steps done");
        return end;
    }

    private enum Outcome {
        OK,
        SKIPPED,
        FAILED
    }

    private Outcome step(RunbookStep step, String phase) {
        if (overDeadline()) {
            recordSimple(
                    phase,
                    step,
                    StepRun.Status.FAILED,
                    "the run's timeout of " + Units.format(def.timeout()) + " passed");
            return Outcome.FAILED;
        }
        if (step.when() != null) {
            String why = whenHolds(step);
            if (why != null) {
                recordSimple(phase, step, StepRun.Status.SKIPPED, why);
                return Outcome.SKIPPED;
            }
        }
        if (step.confirm() && !owner.stepTypes().get(step.type()).decides()) {
            StepResult confirmed;
            long asked = owner.clock().millis();
            decidedBy = null;
            try {
                confirmed = attemptApproval(
                        step, new Approval("operator", false, "Confirm step " + step.id() + ": " + step.title()));
            } catch (InterruptedException e) {
                confirmed = StepResult.failed("cancelled");
            }
            long waited = owner.clock().millis() - asked;
            if (!confirmed.ok()) {
                recordSimple(
                        phase,
                        step,
                        stopping
                                ? StepRun.Status.INTERRUPTED
                                : cancelled ? StepRun.Status.CANCELLED : StepRun.Status.FAILED,
                        stopping ? STOPPED : confirmed.message(),
                        decidedBy,
                        waited);
                return Outcome.FAILED;
            }
            confirmation = new Confirmation(decidedBy, waited);
        }
        StepResult r = record(phase, step.id(), step.type(), () -> attempts(step), step);
        return r.ok() ? Outcome.OK : Outcome.FAILED;
    }

    /** Null when the step's {@code when:} holds, else why it was skipped. */
    private String whenHolds(RunbookStep step) {
        // what the compile allowed: the steps before this one, main steps first, then rollback steps
        List<RunbookStep> all = new ArrayList<>(def.steps());
        all.addAll(def.rollback());
        List<RunbookStep> before = all.subList(0, Math.max(0, all.indexOf(step)));
        try {
            Condition c = ConditionParser.parse(step.when(), runbook.whenPlaceholders(before));
            Observation o = new Observation();
            values.forEach((k, v) -> o.put(RunbookProbes.up(k), typed(v)));
            Condition.Outcome out = c.evaluate(o);
            return out.holds() ? null : "skipped: when " + step.when() + " does not hold (" + out.message() + ")";
        } catch (ConditionSyntaxException e) {
            return "skipped: bad condition " + e.getMessage();
        }
    }

    private static Object typed(String v) {
        if (v != null && v.matches("-?\\d{1,18}")) return Long.parseLong(v);
        return v;
    }

    private interface Attempt {
        StepResult run() throws InterruptedException;
    }

    private StepResult attempts(RunbookStep step) throws InterruptedException {
        StepResult r = null;
        Duration backoff = step.backoff();
        for (int attempt = 1; attempt <= step.attempts(); attempt++) {
            live = new Output(owner.stepTypes().get(step.type()).maxOutput(runbook.settings(step)));
            r = once(step);
            if (r.ok() || cancelled || attempt == step.attempts() || overDeadline()) return r.afterAttempts(attempt);
            Thread.sleep(Math.min(
                    backoff.toMillis(), Math.max(0, deadlineMs - owner.clock().millis())));
            backoff = backoff.multipliedBy(2);
        }
        return r;
    }

    private Duration timeout(RunbookStep step) {
        long left = Math.max(1, deadlineMs - owner.clock().millis());
        return Duration.ofMillis(Math.min(step.timeout().toMillis(), left));
    }

    private StepResult once(RunbookStep step) throws InterruptedException {
        return owner.stepTypes().get(step.type()).run(step, runbook.settings(step), context, timeout(step));
    }

    /** Who confirmed the step about to run and how long it waited; stored with the step, then cleared. */
    private record Confirmation(String by, long waitedMs) {}

    private Confirmation confirmation;

    private StepResult attemptApproval(RunbookStep step, Approval a) throws InterruptedException {
        Pending p = new Pending(step.id(), a.role(), a.fourEyes(), a.prompt(), new CompletableFuture<>());
        pending = p;
        update(Run.Status.WAITING_APPROVAL, step.id(), a.prompt());
        try {
            Decision d = p.decision().get(timeout(step).toMillis(), TimeUnit.MILLISECONDS);
            update(Run.Status.RUNNING, step.id(), null);
            String reason = d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason();
            decidedBy = d.actor();
            return d.approved()
                    ? StepResult.ok("approved by " + d.actor() + reason)
                    : StepResult.failed("rejected by " + d.actor() + reason);
        } catch (TimeoutException e) {
            return StepResult.failed("no decision within " + Units.format(timeout(step)));
        } catch (ExecutionException e) {
            return StepResult.failed("approval failed: " + e.getCause());
        } finally {
            pending = null;
        }
    }

    private String decidedBy;

    private StepResult subRun(String runbook, Map<String, String> given) {
        try {
            Run child = owner.runInline(runbook, given, run);
            return child.status() == Run.Status.SUCCEEDED
                    ? StepResult.ok("run " + child.id() + " succeeded")
                    : StepResult.failed("run " + child.id() + " of " + runbook + " "
                            + child.status().label() + (child.message() == null ? "" : ": " + child.message()));
        } catch (RunRefused e) {
            return StepResult.failed(e.getMessage());
        }
    }

    /** Records a step as running, runs it, records how it ended; values feed later steps' templates and when. */
    private StepResult record(String phase, String stepId, String type, Attempt work, RunbookStep step) {
        int mySeq = ++seq;
        long start = owner.clock().millis();
        Long target =
                step == null || step.target() == null ? null : step.target().toMillis();
        // the start is stored before the step does anything, so a killed server leaves the run at this step
        StepRun started = StepRun.started(run.id(), mySeq, stepId, phase, type, start, target)
                .withDecision(
                        confirmation == null ? null : confirmation.by(),
                        confirmation == null ? null : confirmation.waitedMs());
        Run next =
                advance(run.status() == Run.Status.WAITING_APPROVAL ? run.status() : Run.Status.RUNNING, stepId, null);
        owner.store().write(takeUnsaved(), started, next);
        run = next;
        if (live == null) live = new Output(Output.DEFAULT_LIMIT);
        StepResult r;
        Confirmation confirmed = confirmation;
        confirmation = null;
        decidedBy = null;
        try {
            r = work.run();
        } catch (InterruptedException e) {
            r = StepResult.failed(stopping ? STOPPED : cancelled ? "cancelled" : "interrupted");
        } catch (RuntimeException e) {
            r = StepResult.failed("step error: " + e.getMessage());
        }
        String output = r.output() != null ? r.output() : live.text();
        live = null;
        Map<String, String> extracted = new LinkedHashMap<>();
        r.values().forEach((k, v) -> extracted.put(k, masker.mask(v)));
        values.put("steps." + stepId + ".status", r.ok() ? "succeeded" : "failed");
        if (r.exitCode() != null) values.put("steps." + stepId + ".exit_code", String.valueOf(r.exitCode()));
        values.put("steps." + stepId + ".output", output == null ? "" : output);
        r.values().forEach((k, v) -> values.put("steps." + stepId + "." + k, v));
        StepRun.Status status = r.ok()
                ? StepRun.Status.SUCCEEDED
                : stopping ? StepRun.Status.INTERRUPTED : cancelled ? StepRun.Status.CANCELLED : StepRun.Status.FAILED;
        if (stopping && !r.ok()) r = r.withMessage(STOPPED);
        // stored with the next write (the next step's start or the run's end), which follows at once: one commit per
        // step instead of two. A kill in between leaves this step "running" and the run interrupted here, as a kill
        // just before its end was written always did.
        unsaved = started.withEvidence(r.attempts(), r.exitCode(), masker.mask(output), extracted)
                .ended(status, owner.clock().millis(), masker.mask(r.message()))
                .withDecision(
                        confirmed != null ? confirmed.by() : decidedBy, confirmed != null ? confirmed.waitedMs() : null)
                .withContinued(status == StepRun.Status.FAILED && goesOn(step, phase));
        return r;
    }

    /** The ended step not stored yet, handed to the write that stores it. */
    private StepRun unsaved;

    private StepRun takeUnsaved() {
        StepRun s = unsaved;
        unsaved = null;
        return s;
    }

    private void recordSimple(String phase, RunbookStep step, StepRun.Status status, String message) {
        recordSimple(phase, step, status, message, null, null);
    }

    private void recordSimple(
            String phase, RunbookStep step, StepRun.Status status, String message, String decided, Long waitMs) {
        long now = owner.clock().millis();
        values.put("steps." + step.id() + ".status", status.label());
        owner.store()
                .write(
                        takeUnsaved(),
                        StepRun.started(
                                        run.id(),
                                        ++seq,
                                        step.id(),
                                        phase,
                                        step.type(),
                                        now,
                                        step.target() == null
                                                ? null
                                                : step.target().toMillis())
                                .ended(status, now, masker.mask(message))
                                .withDecision(decided, waitMs)
                                .withContinued(status == StepRun.Status.FAILED && goesOn(step, phase)),
                        null);
    }

    /** Whether the run goes on after {@code step} fails: a main step with {@code on_failure: continue} or a goto. */
    private boolean goesOn(RunbookStep step, String phase) {
        if (step == null || !phase.equals("main") || cancelled) return false;
        RunbookStep.OnFailure.Kind k = step.onFailure().kind();
        return k == RunbookStep.OnFailure.Kind.CONTINUE || k == RunbookStep.OnFailure.Kind.GOTO;
    }

    private boolean overDeadline() {
        return owner.clock().millis() > deadlineMs;
    }

    /** Stores the run's new state (with the last ended step), then shows it: readers never see an end not stored. */
    private void update(Run.Status status, String step, String message) {
        Run next = advance(status, step, message);
        owner.store().write(takeUnsaved(), null, next);
        run = next;
    }

    /** The run with a new status (and step, message); neither stored nor shown yet. */
    private Run advance(Run.Status status, String step, String message) {
        Run next = run.moved(
                status,
                step,
                message == null ? null : masker.mask(message),
                owner.clock().millis());
        return rollback == null ? next : next.withRollback(rollback);
    }

    /** What the running step sees of this run. */
    private final StepContext context = new StepContext() {
        @Override
        public String runbookId() {
            return def.id();
        }

        @Override
        public String runId() {
            return run.id();
        }

        @Override
        public String startedBy() {
            return run.startedBy();
        }

        @Override
        public int seq() {
            return seq;
        }

        @Override
        public Map<String, String> values() {
            return values;
        }

        @Override
        public Output output() {
            return live;
        }

        @Override
        public String mask(String text) {
            return masker.mask(text);
        }

        @Override
        public UnaryOperator<String> environment() {
            return owner.environment();
        }

        @Override
        public SshRunner ssh() {
            return owner.ssh();
        }

        @Override
        public InventoryHost host(String name) {
            return owner.config().inventory().get(name);
        }

        @Override
        public Datasource datasource(String name) {
            return owner.config().datasources().get(name);
        }

        @Override
        public CheckTypes checkTypes() {
            return owner.types();
        }

        @Override
        public CompiledCheck check(String id) {
            return owner.check(id);
        }

        @Override
        public Notifier notifier() {
            return owner.notifier();
        }

        @Override
        public StepResult awaitApproval(RunbookStep step, Approval approval) throws InterruptedException {
            return attemptApproval(step, approval);
        }

        @Override
        public StepResult runRunbook(String runbook, Map<String, String> params) {
            return subRun(runbook, params);
        }
    };

    private static int indexOf(List<RunbookStep> steps, String id) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(id)) return i;
        return steps.size();
    }
}
