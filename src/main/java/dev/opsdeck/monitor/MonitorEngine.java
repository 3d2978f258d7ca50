package dev.opsdeck.monitor;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.MonitoringConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.ResultWriter;
import dev.opsdeck.store.StoredState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every check on its interval. One timer thread only schedules; each probe runs on its own
 * virtual thread with a hard deadline, so a hanging, slow or huge target never delays another check.
 * {@link #apply} swaps in a new configuration atomically and keeps the state of unchanged checks.
 */
public final class MonitorEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorEngine.class);
    /**
     * From this many checks started by one apply (a start, or a reload that adds many), their first interval
     * ramps up instead of starting at the full rate: the JIT is still cold then and every check opens its
     * first connection, so the full rate at once was what exhausted a capped heap on a busy machine.
     */
    static final int RAMP_MIN_CHECKS = 1_000;

    private final ResultWriter writer;
    private final MonitorMetrics metrics;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();
    /**
     * What runs now: the configuration and its running checks, swapped together so readers never see a mix of
     * two configs; {@code services} indexes the configuration's services by name for root-cause questions.
     */
    private record Current(OpsdeckConfig config, Map<String, Running> running, Map<String, ServiceDef> services) {
        Current(OpsdeckConfig config, Map<String, Running> running) {
            this(config, running, index(config));
        }

        private static Map<String, ServiceDef> index(OpsdeckConfig config) {
            Map<String, ServiceDef> out = new HashMap<>();
            if (config != null) config.services().forEach(s -> out.put(s.name(), s));
            return Map.copyOf(out);
        }
    }

    private volatile Current current = new Current(null, Map.of());
    /**
     * Which checks this node probes: all on one node; with nodes sharing a store, those it owns among the live
     * nodes. Asked at each scheduled run, so a change of owners applies at the check's next slot, spread as the
     * schedule already is.
     */
    private volatile Predicate<String> probes = id -> true;

    public MonitorEngine(ResultWriter writer, MonitorMetrics metrics, Clock clock) {
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("opsdeck-scheduler").daemon().factory());
        this.timer.setRemoveOnCancelPolicy(true);
    }

    public void addListener(ResultListener listener) {
        listeners.add(listener);
    }

    /**
     * Applies a configuration and its compiled checks: adds, removes and changes checks; unchanged checks keep
     * running untouched (the new copy of an unchanged check is closed).
     */
    public synchronized void apply(
            OpsdeckConfig config, Map<String, CompiledCheck> checks, Map<String, StoredState> stored) {
        Map<String, Running> old = current.running();
        Map<String, Running> now = new LinkedHashMap<>();
        MonitoringConfig mc = config.monitoring();
        int added = 0, changed = 0, kept = 0;
        List<Running> starting = new ArrayList<>();
        for (var e : checks.entrySet()) {
            CompiledCheck check = e.getValue();
            Running previous = old.get(e.getKey());
            if (previous != null && previous.hash.equals(check.definition().definitionHash())) {
                check.close();
                now.put(e.getKey(), previous);
                kept++;
                continue;
            }
            if (previous != null) {
                previous.stop();
                metrics.unregister(previous.check.definition()); // its type tag may have changed
                changed++;
            } else {
                added++;
            }
            Running r = new Running(check, mc, clock.millis());
            StoredState s = stored.get(e.getKey());
            if (s != null && s.definitionHash().equals(r.hash)) r.state.restore(s);
            now.put(e.getKey(), r);
            metrics.register(check.definition());
            starting.add(r);
        }
        boolean ramp = starting.size() >= RAMP_MIN_CHECKS;
        for (Running r : starting) r.scheduleFirst(mc.jitter(), ramp);
        int removed = 0;
        for (var e : old.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                e.getValue().stop();
                metrics.unregister(e.getValue().check.definition());
                removed++;
            }
        }
        current = new Current(config, Map.copyOf(now));
        LOG.info(
                "event=config_applied checks={} added={} changed={} removed={} unchanged={}",
                now.size(),
                added,
                changed,
                removed,
                kept);
    }

    /**
     * Probes only the checks {@code owns} picks from now on (nodes sharing a store split the checks); the others
     * keep their place in the schedule and show the state {@link #follow} reads from the store.
     */
    public void share(Predicate<String> owns) {
        this.probes = owns;
    }

    /** How many of the running checks this node probes. */
    public int ownedCount() {
        Predicate<String> p = probes;
        int n = 0;
        for (String id : current.running().keySet()) if (p.test(id)) n++;
        return n;
    }

    /**
     * Shows for each check another node probes the state that node stored, so every node answers for every check;
     * a check this node then takes over continues from that state (thresholds, since when).
     */
    public void follow(Map<String, StoredState> stored) {
        Predicate<String> p = probes;
        for (var e : current.running().entrySet()) {
            if (p.test(e.getKey())) continue;
            StoredState s = stored.get(e.getKey());
            if (s != null && s.definitionHash().equals(e.getValue().hash))
                e.getValue().state.restore(s);
        }
    }

    /** Whether a check of this id runs now: a map lookup, cheap with 10,000 checks. */
    public boolean runs(String checkId) {
        return current.running().containsKey(checkId);
    }

    /** The names of the services the running configuration declares, in its order. */
    public List<String> serviceNames() {
        OpsdeckConfig config = current.config();
        return config == null
                ? List.of()
                : config.services().stream().map(ServiceDef::name).toList();
    }

    /** Runs one check now, outside its schedule, and records the result like any other. */
    public CheckResult runNow(String checkId) {
        Running r = current.running().get(checkId);
        if (r == null) return null;
        CheckResult result = r.check.run();
        r.record(result);
        return result;
    }

    /** The definition of every configured service by name, as applied now; for filters on what the config says. */
    public Map<String, ServiceDef> serviceDefs() {
        return current.services();
    }

    /** The current view of every service, with root causes resolved along depends_on. */
    public List<ServiceStatus> services() {
        Current snapshot = current;
        OpsdeckConfig config = snapshot.config();
        if (config == null) return List.of();
        Map<String, Running> now = snapshot.running();
        Map<String, ServiceDef> defs = new LinkedHashMap<>();
        Map<String, Status> statuses = new HashMap<>();
        Map<String, List<ServiceStatus.CheckStatus>> checks = new HashMap<>();
        for (ServiceDef s : config.services()) {
            defs.put(s.name(), s);
            List<ServiceStatus.CheckStatus> list = new ArrayList<>();
            Status worst = s.checks().isEmpty() ? Status.UNKNOWN : Status.UP;
            for (CheckDef c : s.checks()) {
                Running r = now.get(c.id());
                if (r == null) continue;
                ServiceStatus.CheckStatus cs = r.view();
                list.add(cs);
                worst = Status.worst(worst, cs.status());
            }
            statuses.put(s.name(), worst);
            checks.put(s.name(), list);
        }
        List<ServiceStatus> out = new ArrayList<>();
        for (ServiceDef s : defs.values()) {
            Status st = statuses.get(s.name());
            List<String> impacted =
                    st == Status.UP ? List.of() : DependencyView.impactedBy(s.name(), defs, statuses::get);
            List<ServiceStatus.CheckStatus> cs = checks.get(s.name());
            out.add(new ServiceStatus(
                    s.name(), s.description(), st, message(cs, st), s.dependencyNames(), impacted, cs));
        }
        return out;
    }

    /**
     * Every service's name, description and status, in configuration order: what a list of all services filters and
     * sorts on. Reads each check's status only, without the views {@link #services()} builds (at 100,000 checks that
     * is the difference between a few and a few hundred milliseconds).
     */
    public List<ServiceSummary> summaries() {
        Current snapshot = current;
        OpsdeckConfig config = snapshot.config();
        if (config == null) return List.of();
        List<ServiceSummary> out = new ArrayList<>(config.services().size());
        for (ServiceDef s : config.services()) {
            out.add(new ServiceSummary(s.name(), s.description(), status(s, snapshot.running())));
        }
        return out;
    }

    /**
     * The current view of one service, or null when none of that name is configured: only its own checks and the
     * services on its dependency paths are read, so answering for one service costs the same at 10 or 100,000.
     */
    public ServiceStatus service(String name) {
        Current snapshot = current;
        ServiceDef s = snapshot.services().get(name);
        if (s == null) return null;
        Map<String, Running> now = snapshot.running();
        List<ServiceStatus.CheckStatus> cs = new ArrayList<>();
        Status st = s.checks().isEmpty() ? Status.UNKNOWN : Status.UP;
        for (CheckDef c : s.checks()) {
            Running r = now.get(c.id());
            if (r == null) continue;
            ServiceStatus.CheckStatus view = r.view();
            cs.add(view);
            st = Status.worst(st, view.status());
        }
        Map<String, Status> memo = new HashMap<>();
        memo.put(name, st);
        Map<String, ServiceDef> defs = snapshot.services();
        List<String> impacted = st == Status.UP
                ? List.of()
                : DependencyView.impactedBy(name, defs, n -> memo.computeIfAbsent(n, x -> status(defs.get(x), now)));
        return new ServiceStatus(s.name(), s.description(), st, message(cs, st), s.dependencyNames(), impacted, cs);
    }

    /** {@code check: message} of the first check in the service's status. */
    private static String message(List<ServiceStatus.CheckStatus> checks, Status st) {
        return checks.stream()
                .filter(c -> c.status() == st)
                .map(c -> c.name() + ": " + c.message())
                .findFirst()
                .orElse(st == Status.UNKNOWN ? "no result yet" : "");
    }

    /**
     * The root causes of {@code service} along depends_on: its down dependencies that have no down dependency
     * themselves; empty when it is up or is itself the cause. Reads only the services on its dependency paths, so
     * the alert engine can ask at every firing alert of a storm without walking every service each time.
     */
    public List<String> impactedBy(String service) {
        Current snapshot = current;
        OpsdeckConfig config = snapshot.config();
        if (config == null) return List.of();
        Map<String, ServiceDef> defs = snapshot.services();
        if (!defs.containsKey(service)) return List.of();
        Map<String, Status> memo = new HashMap<>();
        Function<String, Status> statusOf =
                name -> memo.computeIfAbsent(name, n -> status(defs.get(n), snapshot.running()));
        if (statusOf.apply(service) == Status.UP) return List.of();
        return DependencyView.impactedBy(service, defs, statusOf);
    }

    /** The worst status of a service's running checks; unknown without any. */
    private static Status status(ServiceDef s, Map<String, Running> running) {
        if (s == null) return Status.UNKNOWN;
        Status worst = s.checks().isEmpty() ? Status.UNKNOWN : Status.UP;
        for (CheckDef c : s.checks()) {
            Running r = running.get(c.id());
            if (r != null) worst = Status.worst(worst, r.state.status());
        }
        return worst;
    }

    /**
     * When a check first runs: at a random share of {@code jitter} of its interval. With {@code ramp}, a check
     * whose offset is the share p of that spread runs in the first interval with probability p and otherwise one
     * interval later at the same offset: the first interval's rate rises linearly from zero to the full rate,
     * and from the second interval on the runs are exactly as evenly spread as without a ramp.
     */
    static long firstRunOffset(long intervalMs, double jitter, boolean ramp, RandomGenerator random) {
        long spread = Math.min((long) (intervalMs * Math.max(jitter, 0.0)), intervalMs);
        if (spread <= 0) return 0;
        long offset = random.nextLong(spread);
        return ramp && random.nextLong(spread) >= offset ? offset + intervalMs : offset;
    }

    /** Escapes a value for a key="value" log field so one event stays one parseable line. */
    static String quoted(String value) {
        return value == null
                ? ""
                : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    public int checkCount() {
        return current.running().size();
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        current.running().values().forEach(Running::stop);
        current = new Current(current.config(), Map.of());
    }

    /** One scheduled check with its state. */
    private final class Running {
        final CompiledCheck check;
        final CheckState state;
        final String hash;
        final long intervalMs;
        final AtomicBoolean inFlight = new AtomicBoolean();
        volatile boolean stopped;
        volatile ScheduledFuture<?> next;
        volatile long plannedMs;

        Running(CompiledCheck check, MonitoringConfig mc, long nowMs) {
            CheckDef d = check.definition();
            this.check = check;
            this.hash = d.definitionHash();
            this.intervalMs = d.interval().toMillis();
            this.state = new CheckState(
                    d.failureThreshold(), d.successThreshold(), mc.flapWindow().toMillis(), mc.flapChanges(), nowMs);
        }

        /** Spreads first runs over the interval so thousands of checks do not fire together. */
        void scheduleFirst(double jitter, boolean ramp) {
            long offset = firstRunOffset(intervalMs, jitter, ramp, ThreadLocalRandom.current());
            plannedMs = clock.millis() + offset;
            next = timer.schedule(this::fire, offset, TimeUnit.MILLISECONDS);
        }

        void fire() {
            if (stopped) return;
            long startMs = clock.millis();
            metrics.lag(startMs - plannedMs);
            plannedMs += intervalMs;
            if (plannedMs < startMs) plannedMs = startMs + intervalMs; // fell far behind: skip, do not burst
            next = timer.schedule(this::fire, Math.max(0, plannedMs - clock.millis()), TimeUnit.MILLISECONDS);
            if (!probes.test(check.id())) return; // another node probes it
            if (!inFlight.compareAndSet(false, true)) {
                metrics.skipped();
                return; // previous run still going: never overlap a check with itself
            }
            Thread.ofVirtual().name("probe-" + check.id()).start(this::runGuarded);
        }

        private void runGuarded() {
            AtomicBoolean done = new AtomicBoolean();
            Thread self = Thread.currentThread();
            long timeoutMs = check.definition().timeout().toMillis();
            // Hard deadline: a probe that ignores its own timeout is interrupted and judged down.
            // The verdict is recorded on a virtual thread of its own, never on the scheduler thread: recording
            // runs the listeners (alerts, incidents), and one of them waiting on a lock during an alert storm
            // stopped every check's schedule with it.
            ScheduledFuture<?> guard = timer.schedule(
                    () -> {
                        if (done.compareAndSet(false, true)) {
                            self.interrupt();
                            CheckResult timedOut = CheckResult.down(
                                    Instant.ofEpochMilli(clock.millis() - timeoutMs),
                                    timeoutMs,
                                    "timed out after "
                                            + Units.format(check.definition().timeout()));
                            Thread.ofVirtual().name("timeout-" + check.id()).start(() -> {
                                record(timedOut);
                                inFlight.set(false);
                            });
                        }
                    },
                    timeoutMs + 250,
                    TimeUnit.MILLISECONDS);
            try {
                CheckResult r = check.run();
                if (done.compareAndSet(false, true)) {
                    guard.cancel(false);
                    record(r);
                    inFlight.set(false);
                }
            } catch (RuntimeException e) {
                LOG.warn("event=probe_crashed check={} error=\"{}\"", check.id(), e.toString());
                if (done.compareAndSet(false, true)) {
                    guard.cancel(false);
                    record(CheckResult.down(Instant.ofEpochMilli(clock.millis()), 0, "probe error: " + e));
                    inFlight.set(false);
                }
            }
        }

        void record(CheckResult r) {
            if (stopped) return;
            Status previous = state.apply(r);
            CheckState.Snapshot s = state.snapshot();
            metrics.result(check.definition(), r, s.status());
            if (writer != null) {
                writer.submit(new ResultWriter.Write(check.id(), r, state.stored(check.id(), hash)));
            }
            if (previous != null) {
                LOG.info(
                        "event=check_state_changed check={} from={} to={} message=\"{}\"",
                        check.id(),
                        previous.label(),
                        s.status().label(),
                        quoted(r.message()));
            }
            for (ResultListener l : listeners) {
                try {
                    l.onResult(check.id(), r, s.status(), previous);
                } catch (RuntimeException e) {
                    LOG.warn("event=listener_failed check={} error=\"{}\"", check.id(), e.toString());
                }
            }
        }

        ServiceStatus.CheckStatus view() {
            CheckState.Snapshot s = state.snapshot();
            CheckDef d = check.definition();
            CheckResult last = s.last();
            return new ServiceStatus.CheckStatus(
                    d.service(),
                    d.name(),
                    d.type(),
                    s.status(),
                    s.sinceMs(),
                    last == null ? "no result yet" : last.message(),
                    last == null ? 0 : last.latencyMillis(),
                    last == null ? 0 : last.at().toEpochMilli(),
                    s.flapping(),
                    intervalMs,
                    last == null ? Map.of() : last.values());
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> f = next;
            if (f != null) f.cancel(false);
            check.close();
        }
    }
}
