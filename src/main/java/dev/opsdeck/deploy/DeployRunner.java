package dev.opsdeck.deploy;

import dev.opsdeck.config.DeployDef;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.runbook.Run;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one deploy out on its own thread: the runbook with the new version, the gate, the bake, and on a failure
 * the rollback (the same runbook with the last successful version, gated again). Every moment is written to the
 * deploy's evidence as it happens; the deploy's state changes in the store at each step, so a page or {@code
 * --follow} sees it move.
 */
final class DeployRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DeployRunner.class);
    private static final long POLL_MS = 100;

    private final Deploys deploys;
    private final ServiceDef service;
    private final DeployDef def;
    private final CountDownLatch wake = new CountDownLatch(1);
    private volatile Deploy deploy;
    private volatile String stopReason; // set by cancel ("cancelled") or a server stop ("stopped")
    private volatile String cancelledBy;

    DeployRunner(Deploys deploys, ServiceDef service, Deploy deploy) {
        this.deploys = deploys;
        this.service = service;
        this.def = service.deploy();
        this.deploy = deploy;
    }

    Deploy deploy() {
        return deploy;
    }

    void cancel(String actor) {
        cancelledBy = actor;
        stopReason = "cancelled";
        wake.countDown();
        String run = deploy.runId();
        if (run != null) deploys.cancelRun(run, actor);
    }

    void stop() {
        stopReason = "stopped";
        wake.countDown();
    }

    void run() {
        try {
            carryOut();
        } catch (RuntimeException e) {
            LOG.error("event=deploy_error deploy={} error=\"{}\"", deploy.id(), e.toString());
            try {
                end(DeployState.FAILED, "engine error: " + e.getMessage());
            } catch (RuntimeException again) {
                LOG.error("event=deploy_unrecorded deploy={} error=\"{}\"", deploy.id(), again.toString());
            }
        } finally {
            deploys.finished(this);
        }
    }

    private void carryOut() {
        long now = deploys.now();
        set(with(DeployState.RUNNING, now, null, deploy.runId(), deploy.rollbackRunId()));
        Run run = runRunbook(deploy.version(), false);
        if (stopped()) return;
        if (run.status() != Run.Status.SUCCEEDED) {
            end(
                    DeployState.FAILED,
                    "runbook " + def.runbook() + " " + run.status().label() + ": " + run.message());
            return;
        }
        set(with(DeployState.VERIFYING, deploy.startedMs(), null, deploy.runId(), null));
        String failure = gate(deploy.version(), "gate");
        if (failure == null && !stopped()) failure = bake();
        if (stopped()) return;
        if (failure == null) {
            end(DeployState.SUCCEEDED, "version " + deploy.version() + " passed the gate" + bakeText());
            return;
        }
        if (!def.autoRollback()) {
            end(DeployState.FAILED, failure + "; rollback is manual: opsdeck deploy rollback " + service.name());
            return;
        }
        if (deploy.previousVersion() == null) {
            end(DeployState.FAILED, failure + "; no earlier successful version to roll back to");
            return;
        }
        deploys.evidence(
                deploy, "rollback", "rollback", true, failure + "; rolling back to " + deploy.previousVersion(), null);
        Run back = runRunbook(deploy.previousVersion(), true);
        if (stopped()) return;
        if (back.status() != Run.Status.SUCCEEDED) {
            end(
                    DeployState.ROLLBACK_FAILED,
                    failure + "; the rollback to " + deploy.previousVersion() + " failed: runbook " + def.runbook()
                            + " " + back.status().label() + ": " + back.message());
            return;
        }
        String again = gate(deploy.previousVersion(), "rollback");
        if (stopped()) return;
        end(
                again == null ? DeployState.ROLLED_BACK : DeployState.ROLLBACK_FAILED,
                again == null
                        ? failure + "; rolled back to " + deploy.previousVersion()
                        : failure + "; after the rollback to " + deploy.previousVersion() + ", " + again);
    }

    /** Runs the deploy runbook with {@code version} and waits for it; a cancel cancels the run. */
    private Run runRunbook(String version, boolean rollback) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(DeployDef.VERSION_PARAM, version);
        String previous = rollback ? deploy.version() : deploy.previousVersion();
        if (previous != null && deploys.declares(def.runbook(), DeployDef.PREVIOUS_PARAM)) {
            params.put(DeployDef.PREVIOUS_PARAM, previous);
        }
        Run run = deploys.startRun(def.runbook(), params, deploy.actor());
        set(
                rollback
                        ? with(deploy.state(), deploy.startedMs(), null, deploy.runId(), run.id())
                        : with(deploy.state(), deploy.startedMs(), null, run.id(), null));
        deploys.evidence(
                deploy,
                rollback ? "rollback" : "runbook",
                def.runbook(),
                true,
                "run " + run.id() + " started with version " + version,
                null);
        while (run.status().active()) {
            try {
                Thread.sleep(POLL_MS); // not pause(): a cancel wakes that at once, and the run takes a moment to end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopReason = "stopped";
            }
            if ("stopped".equals(stopReason)) return run; // the runbook engine records its own run as interrupted
            run = deploys.findRun(run.id()).orElse(run);
        }
        deploys.evidence(
                deploy,
                rollback ? "rollback" : "runbook",
                def.runbook(),
                run.status() == Run.Status.SUCCEEDED,
                "run " + run.id() + " " + run.status().label() + (run.message() == null ? "" : ": " + run.message()),
                null);
        return run;
    }

    /** Null when every probe passed in one round within the timeout; what failed otherwise. */
    private String gate(String version, String phase) {
        DeployDef.Gate g = def.gate();
        if (g.checks().isEmpty()) return null;
        if (!g.delay().isZero()) {
            deploys.evidence(
                    deploy, phase, "delay", true, "waiting " + Units.format(g.delay()) + " before probing", null);
            pause(g.delay().toMillis());
        }
        List<DeployProbes.Ready> probes = new ArrayList<>();
        for (DeployDef.Probe p : g.checks()) probes.add(deploys.prepare(service, p, version));
        long deadline = deploys.now() + g.timeout().toMillis();
        while (!stopped()) {
            DeployProbes.Sample failed = null;
            for (DeployProbes.Ready r : probes) {
                DeployProbes.Sample s = DeployProbes.run(r);
                deploys.evidence(deploy, phase, s.name(), s.passed(), s.detail(), s.body());
                if (!s.passed() && failed == null) failed = s;
            }
            if (failed == null) return null;
            if (deploys.now() + g.interval().toMillis() > deadline) {
                return phase + " failed after " + Units.format(g.timeout()) + ": " + failed.name() + ": "
                        + failed.detail();
            }
            pause(g.interval().toMillis());
        }
        return null;
    }

    /** Null when the bake held: no alert fired on the service, no probe failed N of its last M samples. */
    private String bake() {
        DeployDef.Bake b = def.bake();
        if (b.duration().isZero()) return null;
        long start = deploys.now(), end = start + b.duration().toMillis();
        deploys.evidence(deploy, "bake", "bake", true, "baking for " + Units.format(b.duration()), null);
        List<DeployProbes.Ready> probes = new ArrayList<>();
        for (DeployDef.Probe p : b.analysis()) probes.add(deploys.prepare(service, p, deploy.version()));
        List<Deque<Boolean>> windows = new ArrayList<>();
        probes.forEach(p -> windows.add(new ArrayDeque<>()));
        while (!stopped()) {
            if (b.alertsQuiet()) {
                List<String> firing = deploys.firingAlerts(service.name(), deploy.startedMs());
                if (!firing.isEmpty()) {
                    String detail = "alerts firing on " + service.name() + ": " + String.join(", ", firing);
                    deploys.evidence(deploy, "bake", "alerts", false, detail, null);
                    return "bake failed: " + detail;
                }
            }
            for (int i = 0; i < probes.size(); i++) {
                DeployDef.Probe p = b.analysis().get(i);
                DeployProbes.Sample s = DeployProbes.run(probes.get(i));
                deploys.evidence(deploy, "bake", s.name(), s.passed(), s.detail(), s.body());
                Deque<Boolean> w = windows.get(i);
                w.addLast(s.passed());
                if (w.size() > p.samples()) w.removeFirst();
                long failures = w.stream().filter(ok -> !ok).count();
                if (failures >= p.failures()) {
                    return "bake failed: " + s.name() + " failed " + failures + " of the last " + w.size()
                            + " samples: " + s.detail();
                }
            }
            long left = end - deploys.now();
            if (left <= 0) return null;
            pause(Math.min(left, b.interval().toMillis()));
            if (deploys.now() >= end) return null;
        }
        return null;
    }

    private String bakeText() {
        return def.bake().duration().isZero()
                ? ""
                : " and baked for " + Units.format(def.bake().duration());
    }

    /** Whether a cancel or a server stop ended the deploy (then recorded here). */
    private boolean stopped() {
        String why = stopReason;
        if (why == null || deploy.state().isFinal()) return why != null;
        if (why.equals("cancelled")) {
            end(
                    DeployState.CANCELLED,
                    "cancelled by " + cancelledBy + " while " + deploy.state().label());
        } else {
            end(
                    DeployState.FAILED,
                    "the server stopped while the deploy was " + deploy.state().label()
                            + "; the service may run either version: check it, then deploy again or roll back");
        }
        return true;
    }

    private void end(DeployState state, String outcome) {
        Deploy done = with(state, deploy.startedMs(), deploys.now(), deploy.runId(), deploy.rollbackRunId());
        // the outcome line goes in before the final state: whoever sees the deploy ended reads how it ended
        deploys.outcome(done, outcome);
        set(done);
        deploys.ended(deploy, def, outcome);
    }

    private void set(Deploy d) {
        deploy = d;
        deploys.save(d);
    }

    private Deploy with(DeployState state, Long startedMs, Long endedMs, String runId, String rollbackRunId) {
        return deploy.moved(state, startedMs, endedMs, runId, rollbackRunId);
    }

    private void pause(long ms) {
        try {
            wake.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopReason = "stopped";
        }
    }
}
