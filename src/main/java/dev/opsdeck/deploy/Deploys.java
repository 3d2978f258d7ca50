package dev.opsdeck.deploy;

import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.auth.Role;
import dev.opsdeck.config.DeployDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.Masker;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.RunRefused;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.store.Store;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploys of the configured services: starts one through the service's deploy runbook (after its approval and
 * freeze checks), approves, cancels and rolls back, records what CI tools report, and keeps every service's version
 * history. Refusals ({@link DeployRefused}) happen before anything is stored. A deploy a stopped process left
 * running or verifying is marked failed at the next start, with what to do.
 */
public final class Deploys implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deploys.class);
    /** The environment incidents and the DORA figures are about; the default of {@code deploy.environment}. */
    public static final String PRODUCTION = "production";

    /**
     * Who asks, and how: {@code reason} is kept on the deploy; {@code overrideFreeze} deploys through a freeze
     * (it then needs a reason, which the API audits).
     */
    public record Request(
            String actor,
            Role role,
            String reason,
            boolean overrideFreeze,
            String description,
            String link,
            Long commitMs) {
        public static Request by(String actor, Role role) {
            return new Request(actor, role, null, false, null, null, null);
        }
    }

    /** A version that once succeeded: the deploy that shipped it, when and by whom. */
    public record Version(String version, String deployId, long atMs, String actor) {}

    /** What a CI tool reports; {@code state} one of running, succeeded, failed, rolled_back, cancelled. */
    public record Report(
            String externalId,
            String service,
            String environment,
            String version,
            String state,
            Long startedMs,
            Long endedMs,
            Long commitMs,
            String description,
            String link,
            String actor) {}

    /** A report's result: the record, and whether this report created it. */
    public record Recorded(Deploy deploy, boolean created) {}

    private final DeployStore store;
    private final Supplier<OpsdeckConfig> config;
    private final Function<String, CompiledCheck> checks;
    private final CheckTypes types;
    private final Runbooks runbooks;
    private final DeploySources sources;
    private final Clock clock;
    private final CiRecords ci;
    private final Freezes freezes;
    private final DeployNotices notices;
    private final Map<String, DeployRunner> live = new ConcurrentHashMap<>();
    private final Set<String> closing = ConcurrentHashMap.newKeySet();

    public Deploys(
            Store store,
            Supplier<OpsdeckConfig> config,
            Function<String, CompiledCheck> checks,
            CheckTypes types,
            Runbooks runbooks,
            DeploySources sources,
            AlertSink sink,
            Notifier notifier,
            Clock clock) {
        this.store = new DeployStore(store);
        this.config = config;
        this.checks = checks;
        this.types = types;
        this.runbooks = runbooks;
        this.sources = sources;
        this.clock = clock;
        this.ci = new CiRecords(this.store, config, clock);
        this.freezes = new Freezes(sources, clock);
        this.notices = new DeployNotices(sink, notifier, clock);
    }

    /**
     * At start: a deploy left running or verifying by a stopped process is marked failed (its runbook run is marked
     * interrupted by the runbook engine); a pending one that waits for its approval keeps waiting, any other pending
     * one is marked failed too.
     */
    public int markInterrupted() {
        int n = 0;
        for (Deploy d : store.unfinished()) {
            ServiceDef s = config.get().service(d.service()).orElse(null);
            boolean awaiting = d.state() == DeployState.PENDING
                    && s != null
                    && s.deploy() != null
                    && s.deploy().approval().role() != null;
            if (awaiting) continue;
            Deploy f = copy(d, DeployState.FAILED, d.runId(), d.rollbackRunId(), clock.millis());
            store.update(f);
            evidence(
                    f,
                    "outcome",
                    "failed",
                    false,
                    "the server stopped while the deploy was " + d.state().label()
                            + "; the service may run either version: check it, then deploy again or roll back",
                    null);
            n++;
        }
        if (n > 0) LOG.warn("event=deploys_interrupted deploys={}", n);
        return n;
    }

    // ---- reading ----

    public Optional<Deploy> find(String id) {
        DeployRunner r = live.get(id);
        return r != null ? Optional.of(r.deploy()) : store.find(id);
    }

    public List<Evidence> evidence(String id, int afterSeq) {
        return store.evidence(id, afterSeq);
    }

    public List<Deploy> list(DeployStore.Filter filter) {
        return store.list(filter);
    }

    /**
     * The production deploys requested in {@code [fromMs, toMs)}: what incidents and the DORA figures are about (a
     * staging deploy neither breaks production nor counts as a change to it).
     */
    public List<Deploy> production(long fromMs, long toMs) {
        return store.requestedBetween(fromMs, toMs, PRODUCTION);
    }

    /** The versions of {@code service} that succeeded, newest first, each once. */
    public List<Version> versions(String service, int limit) {
        DeployDef def = deployable(service);
        Map<String, Version> out = new LinkedHashMap<>();
        for (Deploy d : store.succeeded(service, def.environment(), Math.max(limit * 4, 50))) {
            if (out.size() >= limit) break;
            out.putIfAbsent(
                    d.version(),
                    new Version(d.version(), d.id(), d.endedMs() == null ? d.requestedMs() : d.endedMs(), d.actor()));
        }
        return List.copyOf(out.values());
    }

    /** The approval a pending deploy waits for: role and four eyes; empty when it waits for none. */
    public Optional<DeployDef.Approval> pendingApproval(Deploy d) {
        if (d.state() != DeployState.PENDING || live.containsKey(d.id())) return Optional.empty();
        return config.get()
                .service(d.service())
                .map(ServiceDef::deploy)
                .map(DeployDef::approval)
                .filter(a -> a.role() != null);
    }

    // ---- changing ----

    /** Starts a deploy of {@code version}: refused (nothing stored) when the service, version, freeze or turn is wrong. */
    public Deploy start(String service, String version, Request req) {
        ServiceDef s = service(service);
        DeployDef def = s.deploy();
        checkVersion(version);
        String frozen = freezes.check(s, req);
        Deploy d = insert(s, version, req, null);
        if (frozen != null)
            evidence(d, "approval", "freeze", true, "freeze overridden (" + frozen + "): " + req.reason(), null);
        if (def.approval().role() != null) {
            evidence(
                    d,
                    "approval",
                    "approval",
                    true,
                    "waiting for approval by " + (def.approval().fourEyes() ? "another " : "an ")
                            + def.approval().role(),
                    null);
            LOG.info("event=deploy_pending deploy={} service={} version={}", d.id(), service, version);
            return d;
        }
        return launch(s, d);
    }

    /**
     * Rolls {@code service} back: to {@code to}, which must have succeeded before, or to the last successful version
     * that is not the one running now. Neither freezes nor approvals hold a rollback back: it returns to a version
     * that already passed them.
     */
    public Deploy rollback(String service, String to, Request req) {
        ServiceDef s = service(service);
        DeployDef def = s.deploy();
        List<Version> known = versions(service, 20);
        List<Deploy> latest = store.list(new DeployStore.Filter(service, null, null, def.environment(), 10, 0));
        Deploy current = latest.stream()
                .filter(d -> d.state() != DeployState.CANCELLED)
                .findFirst()
                .orElse(null);
        String target = RollbackTarget.choose(service, to, known, current);
        Deploy d = insert(s, target, req, current == null ? null : current.id());
        evidence(
                d,
                "approval",
                "rollback",
                true,
                "rollback" + (current == null ? "" : " of " + current.id() + " (" + current.version() + ")") + " to "
                        + target + " by " + req.actor(),
                null);
        return launch(s, d);
    }

    public Deploy approve(String id, Runbooks.Actor actor, boolean approved, String reason) {
        Deploy d = find(id).orElseThrow(() -> notFound(id));
        DeployDef.Approval a = pendingApproval(d)
                .orElseThrow(() -> new DeployRefused(
                        DeployRefused.Reason.CONFLICT,
                        "deploy " + id + " is " + d.state().label() + ", not waiting for an approval"));
        Role needed = Role.parse(a.role()).orElse(Role.OPERATOR);
        if (actor.role() == null || !actor.role().includes(needed)) {
            throw new DeployRefused(
                    DeployRefused.Reason.FORBIDDEN,
                    "deploys of " + d.service() + " need the " + needed.label() + " role to approve or reject");
        }
        if (a.fourEyes() && actor.name().equals(d.actor())) {
            throw new DeployRefused(
                    DeployRefused.Reason.FORBIDDEN,
                    "deploys of " + d.service() + " need a second person: the one who asked cannot approve");
        }
        String why = reason == null || reason.isBlank() ? "" : ": " + reason;
        if (!approved) {
            Deploy c = copy(d, DeployState.CANCELLED, null, null, clock.millis());
            store.update(c);
            evidence(c, "approval", "approval", false, "rejected by " + actor.name() + why, null);
            evidence(c, "outcome", "cancelled", false, "rejected by " + actor.name() + why, null);
            return c;
        }
        evidence(d, "approval", "approval", true, "approved by " + actor.name() + why, null);
        return launch(service(d.service()), d);
    }

    public Deploy cancel(String id, String actor) {
        Deploy d = find(id).orElseThrow(() -> notFound(id));
        DeployRunner r = live.get(id);
        if (r != null) {
            r.cancel(actor);
            return r.deploy();
        }
        if (d.state() != DeployState.PENDING) {
            throw new DeployRefused(
                    DeployRefused.Reason.CONFLICT,
                    "deploy " + id + " is " + d.state().label() + ", not in progress");
        }
        Deploy c = copy(d, DeployState.CANCELLED, null, null, clock.millis());
        store.update(c);
        evidence(c, "outcome", "cancelled", false, "cancelled by " + actor + " while pending", null);
        return c;
    }

    /**
     * Records what a CI tool reports, once per its external id: a first report creates the record, a later one
     * moves it to a final state (the same final state again changes nothing; another one is refused).
     */
    public Recorded record(Report r) {
        return ci.record(r);
    }

    /** Stops every deploy in flight: each ends failed, saying the server stopped (as after a kill). */
    @Override
    public void close() {
        List<DeployRunner> running = List.copyOf(live.values());
        running.forEach(r -> closing.add(r.deploy().id()));
        running.forEach(DeployRunner::stop);
        long end = System.nanoTime() + 5_000_000_000L;
        while (!live.isEmpty() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- for DeployRunner ----

    long now() {
        return clock.millis();
    }

    void save(Deploy d) {
        store.update(d);
    }

    /**
     * Appends a line to the deploy's evidence with every secret of the running configuration masked: a health body
     * or a runbook message that echoes a password must not land in the store (as runbook output and checklist
     * evidence are masked).
     */
    void evidence(Deploy d, String phase, String name, boolean passed, String detail, String body) {
        Masker masker = Masker.of(config.get().runbooks());
        store.addEvidence(d.id(), phase, name, passed, masker.mask(detail), masker.mask(body), clock.millis());
    }

    boolean declares(String runbook, String param) {
        return runbooks.runbook(runbook).flatMap(r -> r.param(param)).isPresent();
    }

    Run startRun(String runbook, Map<String, String> params, String actor) {
        try {
            return runbooks.start(runbook, params, actor, null);
        } catch (RunRefused e) {
            throw new DeployRefused(
                    DeployRefused.Reason.CONFLICT, "runbook " + runbook + " did not start: " + e.getMessage());
        }
    }

    Optional<Run> findRun(String id) {
        return runbooks.find(id);
    }

    void cancelRun(String runId, String actor) {
        try {
            runbooks.cancel(runId, actor);
        } catch (RunRefused e) {
            // already over: the runner sees that
        }
    }

    DeployProbes.Ready prepare(ServiceDef s, DeployDef.Probe p, String version) {
        return DeployProbes.prepare(s, p, version, checks.apply(p.checkId(s.name())), types);
    }

    List<String> firingAlerts(String service, long sinceMs) {
        return sources.firingAlerts(service, sinceMs);
    }

    void finished(DeployRunner r) {
        live.remove(r.deploy().id());
        closing.remove(r.deploy().id());
    }

    /** The deploy's last evidence line: how it ended. */
    void outcome(Deploy d, String outcome) {
        evidence(
                d,
                "outcome",
                d.state().label(),
                d.state() == DeployState.SUCCEEDED || d.state() == DeployState.CANCELLED,
                outcome,
                null);
    }

    /** Logs the end, tells the channels, and pages: P1 when a rollback failed, P2 when a failure waits. */
    void ended(Deploy d, DeployDef def, String outcome) {
        notices.ended(d, def, outcome);
    }

    // ---- helpers ----

    private Deploy launch(ServiceDef s, Deploy d) {
        if (closing.contains(d.id())) return d;
        DeployRunner r = new DeployRunner(this, s, d);
        live.put(d.id(), r);
        LOG.info(
                "event=deploy_started deploy={} service={} version={} by=\"{}\"",
                d.id(),
                s.name(),
                d.version(),
                d.actor());
        Thread.ofVirtual().name("deploy-" + d.id()).start(r::run);
        return d;
    }

    private Deploy insert(ServiceDef s, String version, Request req, String rollbackOf) {
        DeployDef def = s.deploy();
        if (runbooks.runbook(def.runbook()).isEmpty()) {
            throw new DeployRefused(
                    DeployRefused.Reason.NOT_FOUND,
                    "service " + s.name() + " deploys with runbook " + def.runbook() + ", which is not configured");
        }
        try {
            runbooks.plan(def.runbook(), Map.of(DeployDef.VERSION_PARAM, version)); // the runbook's own checks
        } catch (RunRefused e) {
            throw new DeployRefused(DeployRefused.Reason.INVALID, e.getMessage());
        }
        String previous = store.succeeded(s.name(), def.environment(), 1).stream()
                .map(Deploy::version)
                .findFirst()
                .orElse(null);
        Deploy d = new Deploy(
                DeployInput.newId(),
                s.name(),
                def.environment(),
                version,
                previous,
                req.commitMs(),
                clip(req.description()),
                clip(req.link()),
                Deploy.SOURCE_OPSDECK,
                req.actor(),
                DeployState.PENDING,
                clip(req.reason()),
                null,
                null,
                rollbackOf,
                clock.millis(),
                null,
                null,
                null);
        Optional<Deploy> busy = store.insertIfIdle(d);
        if (busy.isPresent()) {
            Deploy b = busy.get();
            throw new DeployRefused(
                    DeployRefused.Reason.CONFLICT,
                    "a deploy of " + s.name() + " is already " + b.state().label() + " (" + b.id() + ", version "
                            + b.version() + "); one at a time: wait for it or cancel it");
        }
        return d;
    }

    private ServiceDef service(String name) {
        deployable(name);
        return config.get().service(name).orElseThrow();
    }

    private DeployDef deployable(String name) {
        ServiceDef s = config.get()
                .service(name)
                .orElseThrow(() -> new DeployRefused(DeployRefused.Reason.NOT_FOUND, unknownService(name)));
        if (s.deploy() == null) {
            throw new DeployRefused(
                    DeployRefused.Reason.NOT_FOUND,
                    "service " + name + " has no deploy: section; add one with its runbook (see docs/deploys.md)");
        }
        return s.deploy();
    }

    private String unknownService(String name) {
        return DeployInput.unknownService(config.get(), name);
    }

    private static void checkVersion(String version) {
        DeployInput.checkVersion(version);
    }

    private static DeployRefused notFound(String id) {
        return new DeployRefused(DeployRefused.Reason.NOT_FOUND, "no deploy '" + clip(id) + "'");
    }

    private static String clip(String s) {
        return DeployInput.clip(s);
    }

    private static Deploy copy(Deploy d, DeployState state, String runId, String rollbackRunId, Long endedMs) {
        return d.moved(state, d.startedMs(), endedMs, runId, rollbackRunId);
    }
}
