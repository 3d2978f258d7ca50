package dev.opsdeck.runbook;

import dev.opsdeck.auth.Role;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookParam;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.RunbooksConfig;
import dev.opsdeck.config.Units;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.ssh.SshRunner;
import dev.opsdeck.runbook.steps.StepTypes;
import dev.opsdeck.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook service: the catalogue with "last tested", starting runs (parameters checked before anything runs),
 * approvals, cancel and resume. Every run is recorded in the store as it goes; a run the server did not finish
 * (killed mid-run) is marked interrupted at the next start.
 */
public final class Runbooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Runbooks.class);
    /** A runbook whose last successful run is older than this (or that never succeeded) is flagged untested. */
    public static final Duration UNTESTED_AFTER = Duration.ofDays(90);
    /** How long a stopping server waits for its runs to kill their commands and record the interruption. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** Told when a run starts and ends: the server puts runs linked to an incident on its timeline. */
    public interface RunEvents {
        void changed(Run run);
    }

    /** Who asks: the name recorded, and the role that decides what they may approve. */
    public record Actor(String name, Role role) {}

    /** A runbook as the catalogue shows it. */
    public record Entry(RunbookDef def, Long lastSuccessMs, boolean untested) {}

    /** What a dry run would do: parameters resolved (secrets masked) and each step in order. */
    public record Plan(String runbook, Map<String, String> params, List<String> steps, List<String> rollback) {}

    private final RunStore store;
    private final Supplier<RunbooksConfig> config;
    private final Function<String, CompiledRunbook> compiled;
    private final CheckTypes types;
    private final StepTypes stepTypes = StepTypes.standard();
    private final Function<String, CompiledCheck> checks;
    private final Notifier notifier;
    private final RunEvents events;
    private final Clock clock;
    private final Map<String, Execution> live = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> turns = new ConcurrentHashMap<>();
    private final SshRunner ssh = new SshRunner();
    private final UnaryOperator<String> environment;

    public Runbooks(
            Store store,
            Supplier<RunbooksConfig> config,
            Function<String, CompiledRunbook> compiled,
            CheckTypes types,
            Function<String, CompiledCheck> checks,
            Notifier notifier,
            RunEvents events,
            Clock clock) {
        this(store, config, compiled, types, checks, notifier, events, clock, System::getenv);
    }

    /** {@code environment}: the Opsdeck process's variables, of which steps see only PATH, HOME, LANG, TZ and pass_env. */
    public Runbooks(
            Store store,
            Supplier<RunbooksConfig> config,
            Function<String, CompiledRunbook> compiled,
            CheckTypes types,
            Function<String, CompiledCheck> checks,
            Notifier notifier,
            RunEvents events,
            Clock clock,
            UnaryOperator<String> environment) {
        this.environment = environment;
        this.store = new RunStore(store);
        this.config = config;
        this.compiled = compiled;
        this.types = types;
        this.checks = checks;
        this.notifier = notifier;
        this.events = events;
        this.clock = clock;
    }

    /** Marks runs left active by a previous process as interrupted, at the step they were in. Call once at start. */
    public int markInterrupted() {
        int n = 0;
        for (Run r : store.active()) {
            long now = clock.millis();
            for (StepRun s : store.steps(r.id())) {
                if (s.status() == StepRun.Status.RUNNING || s.status() == StepRun.Status.WAITING) {
                    store.save(s.ended(StepRun.Status.INTERRUPTED, now, "the server stopped while this step ran"));
                }
            }
            Run i = r.ended(
                    Run.Status.INTERRUPTED,
                    now,
                    "the server stopped during step " + r.currentStep()
                            + "; resume it from that step or from the start");
            store.update(i);
            events.changed(i);
            n++;
        }
        if (n > 0) LOG.warn("event=runbook_runs_interrupted runs={}", n);
        return n;
    }

    /**
     * The least role that may start (and cancel or resume) runs of {@code def}: runbooks run commands on production,
     * so operator, unless the runbook is marked {@code responder_safe}. The API and the dashboard both ask here.
     */
    public static Role startRole(RunbookDef def) {
        return def.responderSafe() ? Role.RESPONDER : Role.OPERATOR;
    }

    public List<Entry> catalogue() {
        Map<String, Long> last = store.lastSuccess();
        long now = clock.millis();
        return config.get().runbooks().values().stream()
                .sorted(Comparator.comparing(RunbookDef::id))
                .map(d -> new Entry(
                        d,
                        last.get(d.id()),
                        last.get(d.id()) == null || now - last.get(d.id()) > UNTESTED_AFTER.toMillis()))
                .toList();
    }

    public Optional<RunbookDef> runbook(String id) {
        return config.get().runbook(id);
    }

    public Optional<Run> find(String runId) {
        Execution e = live.get(runId);
        return e != null ? Optional.of(e.run()) : store.find(runId);
    }

    public List<Run> runs(String runbookId, int limit) {
        return store.list(runbookId, limit);
    }

    public List<StepRun> steps(String runId) {
        return store.steps(runId);
    }

    /** Whether {@code startedBy} already started a run of {@code runbookId} linked to the incident. */
    public boolean startedFor(String runbookId, long incidentId, String startedBy) {
        return store.startedFor(runbookId, incidentId, startedBy);
    }

    /** The output of the step running now, masked; null when none runs. */
    public String liveOutput(String runId) {
        Execution e = live.get(runId);
        return e == null ? null : e.liveOutput();
    }

    /**
     * A run with its steps, and the running step's output so far ({@code liveSeq}: which step it belongs to; null
     * when none runs). What a page or an event stream shows at one moment.
     */
    public record Snapshot(Run run, List<StepRun> steps, Integer liveSeq, String liveText) {}

    /**
     * The run, its steps and the live output, read so that the output is given to the step it belongs to: it is
     * read before and after the steps, and only trusted when the second read goes on from the first (a step that
     * ended and a next one that started in between would otherwise lend its output to the wrong step).
     */
    public Optional<Snapshot> snapshot(String runId) {
        String before = liveOutput(runId);
        Optional<Run> run = find(runId);
        if (run.isEmpty()) return Optional.empty();
        List<StepRun> steps = store.steps(runId);
        String after = liveOutput(runId);
        Integer seq = steps.stream()
                .filter(s -> s.status() == StepRun.Status.RUNNING || s.status() == StepRun.Status.WAITING)
                .map(StepRun::seq)
                .max(Integer::compare)
                .orElse(null);
        // compare whole lines only: the truncation marker at the end counts on while a step floods its output
        boolean same =
                before != null && after != null && after.startsWith(before.substring(0, before.lastIndexOf('\n') + 1));
        return Optional.of(new Snapshot(run.get(), steps, same ? seq : null, same && seq != null ? before : null));
    }

    /** The approval a run waits for: step, role, prompt; empty when it waits for none. */
    public Optional<Map<String, Object>> pendingApproval(String runId) {
        Execution e = live.get(runId);
        Execution.Pending p = e == null ? null : e.pending();
        if (p == null) return Optional.empty();
        return Optional.of(
                Map.of("step", p.stepId(), "role", p.role(), "four_eyes", p.fourEyes(), "prompt", p.prompt()));
    }

    /** Checks parameters and resolves defaults without running anything. */
    public Plan plan(String runbookId, Map<String, String> given) {
        RunbookDef def = require(runbookId);
        Map<String, String> params = resolve(def, given);
        List<String> steps = new ArrayList<>();
        def.steps().forEach(s -> steps.add(describe(s)));
        List<String> rollback = new ArrayList<>();
        def.rollback().forEach(s -> rollback.add(describe(s)));
        return new Plan(def.id(), masked(def, params), steps, rollback);
    }

    /** Starts a run on its own thread; refused (nothing runs) for a bad parameter or a busy runbook. */
    public Run start(String runbookId, Map<String, String> given, String actor, Long incidentId) {
        RunbookDef def = require(runbookId);
        Map<String, String> params = resolve(def, given);
        Semaphore turn = claim(def); // a refused start leaves no record behind
        Run run = newRun(def, params, actor, incidentId, null);
        Execution e = new Execution(this, compiled(def), run, params, masker(def, params), Map.of(), 0);
        live.put(run.id(), e);
        Thread.ofVirtual().name("runbook-" + run.id()).start(() -> drive(e, def, turn, 0));
        return e.run();
    }

    /** Starts a run again after it was interrupted or failed: from its current step, or from the start. */
    public Run resume(String runId, boolean fromStart, Map<String, String> given, String actor) {
        Run old = store.find(runId)
                .orElseThrow(() -> new RunRefused(RunRefused.Reason.NOT_FOUND, "no run '" + runId + "'"));
        if (old.status().active() || live.containsKey(runId)) {
            throw new RunRefused(
                    RunRefused.Reason.CONFLICT,
                    "run " + runId + " is " + old.status().label() + "; only an ended run can resume");
        }
        if (old.status() == Run.Status.SUCCEEDED) {
            throw new RunRefused(RunRefused.Reason.CONFLICT, "run " + runId + " succeeded; start a new run instead");
        }
        RunbookDef def = require(old.runbookId());
        // stored parameters have secrets masked: those must be given again
        Map<String, String> merged = new LinkedHashMap<>(old.params());
        for (RunbookParam p : def.params()) if (p.secret()) merged.remove(p.name());
        merged.putAll(given);
        for (RunbookParam p : def.params()) {
            if (p.secret() && p.required() && !given.containsKey(p.name())) {
                throw new RunRefused(
                        RunRefused.Reason.INVALID,
                        "parameter '" + p.name() + "' is secret and was not stored: give it again to resume");
            }
        }
        Map<String, String> params = resolve(def, merged);
        List<StepRun> done = store.steps(runId);
        int from = 0;
        Map<String, String> restored = new LinkedHashMap<>();
        if (!fromStart && old.currentStep() != null) {
            int idx = indexOf(def.steps(), old.currentStep());
            if (idx < 0)
                throw new RunRefused(
                        RunRefused.Reason.CONFLICT,
                        "step '" + old.currentStep() + "' is no longer in runbook " + def.id()
                                + "; resume from the start");
            from = idx;
            for (StepRun s : done) {
                if (indexOf(def.steps(), s.stepId()) >= idx) continue;
                restored.put("steps." + s.stepId() + ".status", s.status().label());
                if (s.exitCode() != null)
                    restored.put("steps." + s.stepId() + ".exit_code", String.valueOf(s.exitCode()));
                s.extracted().forEach((k, v) -> restored.put("steps." + s.stepId() + "." + k, v));
            }
        }
        Semaphore turn = claim(def);
        Run run = old.resumed(
                def.hash(),
                masked(def, params),
                "resumed by " + actor + (fromStart ? " from the start" : " from step " + old.currentStep()));
        store.update(run);
        int seq = done.stream().mapToInt(StepRun::seq).max().orElse(0);
        Execution e = new Execution(this, compiled(def), run, params, masker(def, params), restored, seq);
        live.put(run.id(), e);
        int start = from;
        Thread.ofVirtual().name("runbook-" + run.id()).start(() -> drive(e, def, turn, start));
        return e.run();
    }

    public Run approve(String runId, Actor actor, boolean approved, String reason) {
        Execution e = live.get(runId);
        Execution.Pending p = e == null ? null : e.pending();
        if (p == null)
            throw new RunRefused(RunRefused.Reason.CONFLICT, "run " + runId + " is not waiting for an approval");
        Role needed = Role.parse(p.role()).orElse(Role.OPERATOR);
        if (actor.role() == null || !actor.role().includes(needed)) {
            throw new RunRefused(
                    RunRefused.Reason.FORBIDDEN,
                    "step " + p.stepId() + " needs the " + needed.label() + " role to approve or reject");
        }
        if (p.fourEyes() && actor.name().equals(e.run().startedBy())) {
            throw new RunRefused(
                    RunRefused.Reason.FORBIDDEN,
                    "step " + p.stepId() + " needs a second person: the one who started the run cannot approve it");
        }
        if (!p.decision().complete(new Execution.Decision(approved, actor.name(), reason))) {
            throw new RunRefused(
                    RunRefused.Reason.CONFLICT, "step " + p.stepId() + " of run " + runId + " was already decided");
        }
        return e.run();
    }

    public Run cancel(String runId, String actor) {
        Execution e = live.get(runId);
        // a run that has just ended stays in the live map for a moment: it is over all the same
        if (e == null || !e.run().status().active()) {
            Run r = e != null
                    ? e.run()
                    : store.find(runId)
                            .orElseThrow(() -> new RunRefused(RunRefused.Reason.NOT_FOUND, "no run '" + runId + "'"));
            throw new RunRefused(
                    RunRefused.Reason.CONFLICT,
                    "run " + runId + " is " + r.status().label() + ", not running");
        }
        LOG.info("event=runbook_run_cancel run={} by=\"{}\"", runId, actor);
        e.cancel();
        return e.run();
    }

    /**
     * The server stops: every run in flight ends as interrupted at the step it was in (resumable, as after a kill),
     * its running command killed with its whole process group, and no rollback runs. Waits up to {@code STOP_WAIT}
     * for the runs to record that; one that does not is marked interrupted at the next start.
     */
    @Override
    public void close() {
        List<Execution> running = List.copyOf(live.values());
        if (running.isEmpty()) return;
        LOG.info("event=runbook_runs_stopping runs={}", running.size());
        running.forEach(Execution::stop);
        long end = System.nanoTime() + STOP_WAIT.toNanos();
        while (!live.isEmpty() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!live.isEmpty()) LOG.warn("event=runbook_runs_not_stopped runs={}", live.size());
    }

    // ---- for Execution ----

    Clock clock() {
        return clock;
    }

    RunStore store() {
        return store;
    }

    StepTypes stepTypes() {
        return stepTypes;
    }

    CheckTypes types() {
        return types;
    }

    Notifier notifier() {
        return notifier;
    }

    SshRunner ssh() {
        return ssh;
    }

    UnaryOperator<String> environment() {
        return environment;
    }

    RunbooksConfig config() {
        return config.get();
    }

    CompiledCheck check(String id) {
        return checks.apply(id);
    }

    /** A {@code runbook} step: the child runs on the caller's thread, recorded as its own run. */
    Run runInline(String runbookId, Map<String, String> given, Run parent) {
        RunbookDef def = require(runbookId);
        Map<String, String> params = resolve(def, given);
        Run run = newRun(def, params, parent.startedBy(), parent.incidentId(), parent.id());
        Execution e = new Execution(this, compiled(def), run, params, masker(def, params), Map.of(), 0);
        live.put(run.id(), e);
        try {
            e.execute(0);
        } finally {
            live.remove(run.id());
        }
        events.changed(e.run());
        return e.run();
    }

    // ---- helpers ----

    private void drive(Execution e, RunbookDef def, Semaphore turn, int from) {
        try {
            if (turn != null) turn.acquire();
            events.changed(e.run());
            e.execute(from);
        } catch (InterruptedException ie) {
            // cancelled while queued
        } catch (RuntimeException ex) {
            LOG.error("event=runbook_run_error run={} error=\"{}\"", e.run().id(), ex.toString());
            // never leave it "running": record it failed, or the next start marks it interrupted
            Run r = e.run();
            try {
                store.update(r.ended(Run.Status.FAILED, clock.millis(), "engine error: " + ex.getMessage()));
            } catch (RuntimeException again) {
                LOG.error("event=runbook_run_unrecorded run={} error=\"{}\"", r.id(), again.toString());
            }
        } finally {
            if (turn != null) turn.release();
            live.remove(e.run().id());
            LOG.info(
                    "event=runbook_run_ended run={} runbook={} status={}",
                    e.run().id(),
                    def.id(),
                    e.run().status().label());
            events.changed(e.run());
        }
    }

    /** One at a time: refuse when busy, or hand out the runbook's turn to wait on (queue). Null: parallel. */
    private Semaphore claim(RunbookDef def) {
        if (def.concurrency().parallel()) return null;
        Semaphore turn = turns.computeIfAbsent(def.id(), k -> new Semaphore(1, true));
        if (!def.concurrency().queue()) {
            boolean busy = live.values().stream()
                    .anyMatch(x -> x.run().runbookId().equals(def.id())
                            && x.run().parentRun() == null
                            && x.run().status().active());
            if (busy)
                throw new RunRefused(
                        RunRefused.Reason.CONFLICT,
                        "runbook " + def.id()
                                + " is already running and runs one at a time (concurrency.when_busy: reject)");
        }
        return turn;
    }

    private Run newRun(RunbookDef def, Map<String, String> params, String actor, Long incidentId, String parent) {
        String id = "run-" + HexFormat.of().formatHex(randomBytes());
        Run run = Run.queued(
                id,
                def.id(),
                def.hash(),
                masked(def, params),
                actor,
                incidentId,
                parent,
                clock.millis(),
                def.target() == null ? null : def.target().toMillis());
        store.insert(run);
        return run;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The running blueprint's steps of {@code def}, with the settings their types read. */
    private CompiledRunbook compiled(RunbookDef def) {
        CompiledRunbook c = compiled.apply(def.id());
        if (c == null) throw new RunRefused(RunRefused.Reason.NOT_FOUND, "no runbook '" + def.id() + "'");
        return c;
    }

    private RunbookDef require(String id) {
        return config.get()
                .runbook(id)
                .orElseThrow(() -> new RunRefused(RunRefused.Reason.NOT_FOUND, "no runbook '" + id + "'"));
    }

    /** Every given value checked, defaults filled in, unknown names refused: before anything runs. */
    static Map<String, String> resolve(RunbookDef def, Map<String, String> given) {
        Set<String> known = new HashSet<>();
        def.params().forEach(p -> known.add(p.name()));
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                throw new RunRefused(
                        RunRefused.Reason.INVALID,
                        "runbook " + def.id() + " has no parameter '" + name + "'"
                                + (known.isEmpty()
                                        ? ""
                                        : " (parameters: "
                                                + String.join(
                                                        ", ",
                                                        known.stream().sorted().toList()) + ")"));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (RunbookParam p : def.params()) {
            String v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
            if (v == null) {
                if (p.required())
                    throw new RunRefused(RunRefused.Reason.INVALID, "parameter '" + p.name() + "' is required");
                continue;
            }
            String refusal = p.refusal(v);
            if (refusal != null)
                throw new RunRefused(RunRefused.Reason.INVALID, "parameter '" + p.name() + "': " + refusal);
            out.put(p.name(), v);
        }
        return out;
    }

    private static Map<String, String> masked(RunbookDef def, Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach(
                (k, v) -> out.put(k, def.param(k).map(RunbookParam::secret).orElse(false) ? Masker.MASK : v));
        return out;
    }

    private Masker masker(RunbookDef def, Map<String, String> params) {
        List<String> secrets = new ArrayList<>();
        def.params().stream().filter(RunbookParam::secret).forEach(p -> {
            if (params.get(p.name()) != null) secrets.add(params.get(p.name()));
        });
        return Masker.of(config.get()).with(secrets);
    }

    private static String describe(RunbookStep s) {
        return s.id() + " (" + s.type() + (s.confirm() ? ", confirm first" : "")
                + (s.when() != null ? ", when " + s.when() : "")
                + (s.target() != null ? ", target " + Units.format(s.target()) : "") + "): "
                + s.title();
    }

    private static int indexOf(List<RunbookStep> steps, String id) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(id)) return i;
        return -1;
    }
}
