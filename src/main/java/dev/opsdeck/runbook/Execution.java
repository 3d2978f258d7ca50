package dev.opsdeck.runbook;

import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.RunbookProbes;
import dev.opsdeck.probe.Status;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run in progress, on its own virtual thread: walks the steps, records each one as it starts and ends,
 * applies {@code when}, retries and {@code on_failure}, runs the rollback when the run fails.
 */
final class Execution {
    /** A pending approval or confirmation. */
    record Pending(String stepId, String role, boolean fourEyes, String prompt, CompletableFuture<Decision> decision) {}

    record Decision(boolean approved, String actor, String reason) {}

    /** What a local command gets from the Opsdeck process's environment without asking (pass_env asks for more). */
    static final List<String> BASE_ENV = List.of("PATH", "HOME", "LANG", "TZ");
    /** PATH for a server started without one. */
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /** A step cut short by a stopping server; the same words a restart uses for one cut short by a kill. */
    static final String STOPPED = "the server stopped while this step ran";

    /** The longest one poll of a wait step may take. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(10);

    private final Runbooks owner;
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
            RunbookDef def,
            Run run,
            Map<String, String> params,
            Masker masker,
            Map<String, String> restored,
            int seq) {
        this.owner = owner;
        this.def = def;
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
        if (step.confirm() && !(step.action() instanceof RunbookStep.Approval)) {
            StepResult confirmed;
            long asked = owner.clock().millis();
            decidedBy = null;
            try {
                confirmed = attemptApproval(
                        step,
                        new RunbookStep.Approval("operator", false, "Confirm step " + step.id() + ": " + step.title()));
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
        // what the loader allowed: the steps before this one, main steps first, then rollback steps
        List<RunbookStep> all = new ArrayList<>(def.steps());
        all.addAll(def.rollback());
        List<RunbookStep> before = all.subList(0, Math.max(0, all.indexOf(step)));
        try {
            Condition c = ConditionParser.parse(step.when(), RunbookProbes.whenPlaceholders(def, before));
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
            live = new Output(step.action() instanceof RunbookStep.Shell sh ? sh.maxOutput() : 64 * 1024);
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
        Duration timeout = timeout(step);
        return switch (step.action()) {
            case RunbookStep.Shell sh
            when sh.host() == null ->
                ShellStep.run(command(sh), localEnv(sh), sh.workdir(), sh.expectExit(), sh.extract(), timeout, live);
            case RunbookStep.Shell sh ->
                SshStep.run(
                        owner.ssh(),
                        owner.config().inventory().get(sh.host()),
                        sh,
                        stepEnv(sh),
                        StepTemplates.render(sh.args(), values),
                        timeout,
                        live);
            case RunbookStep.Http http -> probe(step, http, timeout);
            case RunbookStep.Sql sql ->
                SqlStep.run(
                        owner.config().datasources().get(sql.datasource()),
                        sql.query(),
                        StepTemplates.render(sql.args(), values),
                        RunbookProbes.parse(sql.conditions(), RunbookProbes.SQL_PLACEHOLDERS, new Problems()),
                        timeout);
            case RunbookStep.CheckNow c -> checkNow(c.check());
            case RunbookStep.Wait w -> waitUntil(step, w, timeout);
            case RunbookStep.Approval a -> attemptApproval(step, a);
            case RunbookStep.Notify n -> notifyChannel(step, n);
            case RunbookStep.Sub sub -> subRun(sub.runbook(), sub.params());
            case RunbookStep.Sleep s -> {
                Thread.sleep(Math.min(s.duration().toMillis(), timeout.toMillis()));
                yield StepResult.ok("slept " + Units.format(s.duration()));
            }
        };
    }

    /** The script as written, then "$0" and the arguments: values never become part of the script. */
    private List<String> command(RunbookStep.Shell sh) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", sh.run(), "opsdeck-step"));
        cmd.addAll(StepTemplates.render(sh.args(), values));
        return cmd;
    }

    /**
     * A local command's whole environment: {@link #BASE_ENV} from the Opsdeck process, then {@link #stepEnv}.
     * Nothing else of the server's environment, which holds the secrets of checks and channels, reaches a step.
     */
    private Map<String, String> localEnv(RunbookStep.Shell sh) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : BASE_ENV) {
            String v = owner.environment().apply(name);
            if (v != null) env.put(name, v);
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.putAll(stepEnv(sh));
        return env;
    }

    /** The variables {@code pass_env} names (those the Opsdeck process has), then {@code env} with templates filled in. */
    private Map<String, String> stepEnv(RunbookStep.Shell sh) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : sh.passEnv()) {
            String v = owner.environment().apply(name);
            if (v != null) env.put(name, v);
        }
        sh.env().forEach((k, v) -> env.put(k, StepTemplates.render(v, values)));
        return env;
    }

    private StepResult probe(RunbookStep step, RunbookStep.Http http, Duration timeout) {
        Problems problems = new Problems();
        CompiledCheck check = RunbookProbes.http(
                owner.types(),
                def.id(),
                step,
                StepTemplates.render(http.spec(), values),
                http.conditions(),
                timeout,
                problems);
        if (check == null || !problems.isEmpty()) {
            return StepResult.failed("bad request settings: "
                    + problems.sorted().stream().map(p -> p.message()).toList());
        }
        try {
            return judged(check.run());
        } finally {
            check.close();
        }
    }

    private StepResult checkNow(String id) {
        CompiledCheck c = owner.check(id);
        if (c == null) return StepResult.failed("no check '" + id + "' is running");
        return judged(c.run());
    }

    private static StepResult judged(CheckResult r) {
        Map<String, String> v = new LinkedHashMap<>();
        r.values()
                .forEach((k, x) -> v.put(
                        k.equals("STATUS") ? "http_status" : k.toLowerCase(java.util.Locale.ROOT), String.valueOf(x)));
        boolean ok = r.status() == Status.UP || r.status() == Status.DEGRADED;
        return new StepResult(
                ok, null, r.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + r.message(), v, r.message());
    }

    private StepResult waitUntil(RunbookStep step, RunbookStep.Wait w, Duration timeout) throws InterruptedException {
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
                    ? checkNow(w.check())
                    : probe(step, w.http(), Duration.ofNanos(Math.min(POLL_TIMEOUT.toNanos(), left)));
            live.append(last.output() + "\n");
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

    /** Who confirmed the step about to run and how long it waited; stored with the step, then cleared. */
    private record Confirmation(String by, long waitedMs) {}

    private Confirmation confirmation;

    private StepResult attemptApproval(RunbookStep step, RunbookStep.Approval a) throws InterruptedException {
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
        } catch (java.util.concurrent.ExecutionException e) {
            return StepResult.failed("approval failed: " + e.getCause());
        } finally {
            pending = null;
        }
    }

    private String decidedBy;

    private StepResult notifyChannel(RunbookStep step, RunbookStep.Notify n) {
        String text = masker.mask(StepTemplates.render(n.message(), values));
        long id = owner.notifier()
                .enqueue(
                        n.channel(),
                        "runbook-" + run.id() + "-" + step.id() + "-" + seq,
                        "runbook.notify",
                        Map.of(
                                "runbook",
                                def.id(),
                                "title",
                                text,
                                "summary",
                                "Run " + run.id() + " started by " + run.startedBy(),
                                "actor",
                                run.startedBy()));
        return StepResult.ok("queued as message " + id + " to " + n.channel());
    }

    private StepResult subRun(String runbook, Map<String, String> templated) {
        Map<String, String> given = new LinkedHashMap<>();
        templated.forEach((k, v) -> given.put(k, StepTemplates.render(v, values)));
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
        if (live == null) live = new Output(64 * 1024);
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

    private static int indexOf(List<RunbookStep> steps, String id) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(id)) return i;
        return steps.size();
    }
}
