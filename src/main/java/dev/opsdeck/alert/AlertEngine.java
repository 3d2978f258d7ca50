package dev.opsdeck.alert;

import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.monitor.ResultListener;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns check results into alerts. Each result is judged by the alerts of its check (its own down/degraded
 * alert, its flapping alert, the rules on it and on its service): pending while a condition waits out
 * {@code for}, firing after, resolved when it no longer holds; a pending alert that clears just disappears.
 * Only firing and resolved reach the {@link AlertSink}. The common result (nothing changes) costs a map lookup
 * per alert and no allocation; the store and the root-cause view are touched on transitions only.
 */
public final class AlertEngine implements ResultListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final AlertSink sink;
    private final RootCauses rootCauses;
    private final CheckTypes types;
    private final Clock clock;
    private final AlertMetrics metrics;
    private final AlertWriter writer; // null without a store (tools, some tests)
    private final AlertStore alertStore; // null without a store
    private final Object[] locks = new Object[256];
    private final ConcurrentHashMap<String, ActiveAlert> active = new ConcurrentHashMap<>();
    private final CheckTracks tracks = new CheckTracks();
    private volatile RuleBook book = RuleBook.EMPTY;
    private volatile Suppression suppression = Suppression.NONE;

    /** Loads the alerts that were pending or firing when the store was last written. */
    public AlertEngine(
            AlertSink sink, RootCauses rootCauses, Store store, MeterRegistry registry, CheckTypes types, Clock clock) {
        this.sink = sink;
        this.rootCauses = rootCauses;
        this.types = types;
        this.clock = clock;
        this.metrics = new AlertMetrics(registry);
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
        if (store != null) {
            alertStore = new AlertStore(store);
            for (ActiveAlert a : alertStore.load()) {
                active.put(a.fingerprint(), a);
                if (a.state() == ActiveAlert.State.FIRING) metrics.restored(a.severity());
            }
            writer = new AlertWriter(alertStore);
        } else {
            writer = null;
            alertStore = null;
        }
    }

    /** Silences and maintenance windows plug in here; without one nothing is silenced. */
    public void suppressWith(Suppression s) {
        suppression = s;
    }

    /** Applies a configuration's alerts. Alerts whose rule or check is gone are resolved (and say so). */
    public void apply(OpsdeckConfig config, Map<String, CompiledCheck> checks) {
        RuleBook next = RuleBook.compile(config, checks, types);
        book = next;
        tracks.retain(next.byCheck.keySet());
        long now = clock.millis();
        for (ActiveAlert a : List.copyOf(active.values())) {
            if (next.byFingerprint.containsKey(a.fingerprint())) continue;
            synchronized (lock(a.fingerprint())) {
                if (active.get(a.fingerprint()) == a) end(a, now, "no longer configured");
            }
        }
    }

    @Override
    public void onResult(String checkId, CheckResult result, Status current, Status previous) {
        RuleBook b = book;
        Watch[] watches = b.byCheck.get(checkId);
        if (watches == null) return;
        CheckTracks.Track t = tracks.of(checkId);
        t.status = current;
        t.flapping = t.flaps.record(result.at().toEpochMilli(), previous, b.flapWindowMs, b.flapChanges);
        long now = clock.millis();
        Observation observation = null;
        for (Watch w : watches) {
            Status status = w.checkId == null ? tracks.serviceStatus(b.checksOfService, w.service) : current;
            boolean flapping = w.checkId == null ? tracks.serviceFlapping(b.checksOfService, w.service) : t.flapping;
            if (observation == null && w.needsObservation()) observation = observation(result);
            Watch.Verdict v = w.verdict(result, status, flapping, observation);
            if (v == Watch.Verdict.KEEP || v != Watch.Verdict.HOLDS && !active.containsKey(w.fingerprint)) continue;
            synchronized (lock(w.fingerprint)) {
                transition(w, v, checkId, result, status, observation, now);
            }
        }
    }

    private void transition(
            Watch w,
            Watch.Verdict v,
            String checkId,
            CheckResult result,
            Status status,
            Observation observation,
            long now) {
        ActiveAlert a = active.get(w.fingerprint);
        if (v == Watch.Verdict.HOLDS) {
            long hold = holdMs(w);
            if (a == null && hold > 0) {
                AlertText.Rendered text = AlertText.render(w, checkId, result, status, observation);
                save(new ActiveAlert(
                        w.fingerprint,
                        w.name,
                        ActiveAlert.State.PENDING,
                        w.severity,
                        w.service,
                        w.checkId,
                        now,
                        false,
                        null,
                        text.summary(),
                        text.description(),
                        w.runbook,
                        w.labels,
                        text.value()));
                metrics.pending();
            } else if (a == null || a.state() == ActiveAlert.State.PENDING && now - a.sinceMs() >= hold) {
                fire(w, checkId, result, status, observation, now);
            }
        } else if (a != null && a.state() == ActiveAlert.State.PENDING) {
            forget(w.fingerprint); // cleared (or frozen by flapping) before `for` passed: never paged, never told
        } else if (a != null && v == Watch.Verdict.CLEAR) {
            end(a, now, null);
        }
    }

    /**
     * How long the condition must hold before the alert fires: its {@code for}, and for a dependency-aware alert of
     * a service with dependencies, at least the dependency wait while none of them is known down (a dependency
     * found down meanwhile makes it fire at once, attached to that root cause).
     */
    private long holdMs(Watch w) {
        Long wait = w.dependencyAware ? book.dependencyWaitMs.get(w.service) : null;
        if (wait == null || wait <= w.forMs || !rootCauses.impactedBy(w.service).isEmpty()) return w.forMs;
        return wait;
    }

    private void fire(Watch w, String checkId, CheckResult result, Status status, Observation observation, long now) {
        List<String> roots = rootCauses.impactedBy(w.service);
        boolean dependent = !roots.isEmpty();
        String suppressedBy = dependent && w.dependencyAware
                ? "impacted by " + roots.get(0) + ", the root cause"
                : suppression.reason(w.service, w.name, w.severity, w.labels);
        boolean suppressed = suppressedBy != null;
        AlertText.Rendered text = AlertText.render(w, checkId, result, status, observation);
        ActiveAlert a = new ActiveAlert(
                w.fingerprint,
                w.name,
                ActiveAlert.State.FIRING,
                w.severity,
                w.service,
                w.checkId,
                now,
                suppressed,
                dependent ? roots.get(0) : w.service,
                text.summary(),
                text.description(),
                w.runbook,
                w.labels,
                text.value());
        save(a);
        metrics.fired(a.severity());
        emit(a, AlertEvent.State.FIRING, now, suppressedBy);
    }

    /**
     * Pages each firing alert that a silence or a maintenance window held back when it fired and that nothing holds
     * any more (the silence expired or was expired by hand, the window ended): it is told again as firing, not
     * suppressed, once (it is stored so, so it is not told twice, also after a restart). An alert held because its
     * root cause pages stays as it is; one that resolved meanwhile is gone and pages nothing. Called by the
     * housekeeping beat and when a silence or a window is ended by hand.
     */
    public void releaseEnded() {
        try {
            release(book);
        } catch (RuntimeException e) { // the beat runs again; one failure must not stop it
            LOG.warn("event=alert_release_failed error=\"{}\"", e.toString());
        }
    }

    private void release(RuleBook b) {
        for (ActiveAlert a : active.values()) {
            if (a.state() != ActiveAlert.State.FIRING || !a.suppressed()) continue;
            Watch w = b.byFingerprint.get(a.fingerprint());
            if (w == null || w.dependencyAware && !w.service.equals(a.rootCause())) continue; // its root cause pages
            if (suppression.reason(a.service(), a.name(), a.severity(), a.labels()) != null) continue; // still held
            synchronized (lock(a.fingerprint())) {
                if (active.get(a.fingerprint()) != a) continue; // resolved or changed meanwhile
                ActiveAlert released = new ActiveAlert(
                        a.fingerprint(),
                        a.name(),
                        a.state(),
                        a.severity(),
                        a.service(),
                        a.check(),
                        a.sinceMs(),
                        false,
                        a.rootCause(),
                        a.summary(),
                        a.description(),
                        a.runbook(),
                        a.labels(),
                        a.value());
                save(released);
                LOG.info("event=alert_released name=\"{}\"", a.name());
                emit(released, AlertEvent.State.FIRING, a.sinceMs(), null); // firing since it fired
            }
        }
    }

    /** Resolves a firing alert: always told, also when it was suppressed or silenced when it fired. */
    private void end(ActiveAlert a, long now, String why) {
        forget(a.fingerprint());
        if (a.state() != ActiveAlert.State.FIRING) return;
        metrics.resolved(a.severity());
        if (why != null) LOG.info("event=alert_resolved name=\"{}\" reason=\"{}\"", a.name(), why);
        emit(a, AlertEvent.State.RESOLVED, now, null);
    }

    private void emit(ActiveAlert a, AlertEvent.State state, long now, String suppressedBy) {
        List<String> impacted =
                a.rootCause() != null && !a.rootCause().equals(a.service()) ? List.of(a.service()) : List.of();
        AlertEvent e = new AlertEvent(
                a.fingerprint(),
                "rule",
                a.name(),
                state,
                a.severity(),
                a.service(),
                a.rootCause(),
                impacted,
                a.suppressed(),
                a.labels(),
                a.summary(),
                a.description(),
                a.runbook(),
                Instant.ofEpochMilli(now),
                suppressedBy);
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            // one broken consumer must not stop alerting for every other check
            LOG.warn("event=alert_sink_failed name=\"{}\" state={} error=\"{}\"", a.name(), state, ex.toString());
        }
    }

    private void save(ActiveAlert a) {
        active.put(a.fingerprint(), a);
        if (writer != null) writer.put(a.fingerprint(), a);
    }

    private void forget(String fingerprint) {
        active.remove(fingerprint);
        if (writer != null) writer.put(fingerprint, null);
    }

    private static Observation observation(CheckResult result) {
        Observation o = new Observation();
        result.values().forEach(o::put);
        return o;
    }

    private Object lock(String fingerprint) {
        return locks[Math.floorMod(fingerprint.hashCode(), locks.length)];
    }

    /**
     * Tells the sink again of each firing alert that {@code unrecorded} picks, exactly as it fired (same time, same
     * fingerprint): for a firing the sink never stored, because the process died between storing the alert and its
     * incident, or the store failed in between. Under each alert's lock, like a transition, so it never overtakes
     * the alert's resolution. Returns how many were told again; {@code unrecorded} may throw (store away).
     */
    public int refire(Predicate<ActiveAlert> unrecorded) {
        int n = 0;
        for (ActiveAlert a : List.copyOf(active.values())) {
            if (a.state() != ActiveAlert.State.FIRING) continue;
            synchronized (lock(a.fingerprint())) {
                if (active.get(a.fingerprint()) != a || !unrecorded.test(a)) continue;
                LOG.info(
                        "event=alert_refired name=\"{}\" since={} reason=\"no incident holds this firing\"",
                        a.name(),
                        Instant.ofEpochMilli(a.sinceMs()));
                String why = !a.suppressed()
                        ? null
                        : a.rootCause() != null && !a.rootCause().equals(a.service())
                                ? "impacted by " + a.rootCause() + ", the root cause"
                                : "suppressed when it fired";
                emit(a, AlertEvent.State.FIRING, a.sinceMs(), why);
                n++;
            }
        }
        return n;
    }

    /**
     * Knows again an alert that fired in an earlier process whose state never reached the store (the store was away
     * and the process was killed): firing since the event's time, so that the check's next result that clears it
     * resolves it and tells the sink. Ignored when this engine knows the alert already (it fired again here), or
     * when no alert of the running configuration has that fingerprint. Nothing is told now.
     */
    public void restoreFiring(AlertEvent e) {
        Watch w = book.byFingerprint.get(e.fingerprint());
        if (w == null || e.state() != AlertEvent.State.FIRING || !"rule".equals(e.source())) return;
        synchronized (lock(e.fingerprint())) {
            if (active.containsKey(e.fingerprint())) return;
            long since = e.at() == null ? clock.millis() : e.at().toEpochMilli();
            save(ActiveAlert.firing(e, w.checkId, since));
            metrics.restored(e.severity());
            LOG.info(
                    "event=alert_restored name=\"{}\" since={} reason=\"fired in a process that was stopped before storing it\"",
                    e.name(),
                    Instant.ofEpochMilli(since));
        }
    }

    /**
     * Follows which checks this node probes when nodes share the store: the alerts of a check another node probes
     * now leave this engine's memory (their stored state stays, for that node), and for each check this node
     * probes the stored alerts are taken as they are, so the alert that fired on a node that died is resolved here,
     * once, instead of firing a second time. Also for checks this node probed before: another node may have probed
     * them while this one was counted out (a slow start, a long pause), firing or resolving their alerts, and this
     * node must neither miss that resolution nor keep an alert the other resolved (which would hide the next
     * outage). A change this node made that is not committed yet wins over the store. Alerts on a service's state
     * (no single check) stay where they are.
     */
    public void share(Predicate<String> probes) {
        if (alertStore == null) return;
        Map<String, ActiveAlert> stored = storedNow();
        for (ActiveAlert a : List.copyOf(active.values())) {
            if (a.check() == null) continue;
            boolean mine = probes.test(a.check());
            if (mine && stored.containsKey(a.fingerprint())) continue;
            synchronized (lock(a.fingerprint())) {
                if (mine && writer.pending(a.fingerprint())) continue; // this node's own change, not stored yet
                if (active.remove(a.fingerprint(), a) && mine)
                    LOG.info("event=alert_taken_over name=\"{}\" note=\"resolved by another node\"", a.name());
            }
        }
        for (ActiveAlert a : stored.values()) {
            if (a.check() == null || !probes.test(a.check())) continue;
            synchronized (lock(a.fingerprint())) {
                if (writer.pending(a.fingerprint())) continue;
                ActiveAlert before = active.put(a.fingerprint(), a);
                if (before == null || before.sinceMs() != a.sinceMs() || before.state() != a.state())
                    LOG.info("event=alert_taken_over name=\"{}\" state={}", a.name(), a.state());
            }
        }
    }

    /** The stored alerts by fingerprint, read while none of this node's batches landed (else read again). */
    private Map<String, ActiveAlert> storedNow() {
        Map<String, ActiveAlert> out = new HashMap<>();
        for (int attempt = 0; ; attempt++) {
            long commits = writer.commits();
            out.clear();
            for (ActiveAlert a : alertStore.load()) out.put(a.fingerprint(), a);
            if (writer.commits() == commits || attempt == 3) return out;
        }
    }

    /** Pending and firing alerts, most severe and oldest first; {@code state} null for both. */
    public List<ActiveAlert> active(ActiveAlert.State state) {
        List<ActiveAlert> out = new ArrayList<>();
        for (ActiveAlert a : active.values()) if (state == null || a.state() == state) out.add(a);
        out.sort(Comparator.comparing(ActiveAlert::severity).thenComparingLong(ActiveAlert::sinceMs));
        return out;
    }

    /** Commits queued state changes (a clean stop loses none). */
    @Override
    public void close() {
        if (writer != null) writer.close();
    }
}
