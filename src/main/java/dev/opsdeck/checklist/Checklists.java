package dev.opsdeck.checklist;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.runbook.Masker;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured checklists, on their {@code schedule}/{@code every} and on demand, and stores each run with
 * every item's result. Items are proven in parallel, each within its deadline. A run compares each item with the
 * previous run: an item that was proven and is not any more raises an alert ({@link ChecklistAlerts}), one proven
 * again resolves it. Attestations and waivers ({@link Attesting}) are kept in the store.
 */
public final class Checklists implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checklists.class);
    /** An item with no inline check of its own (a fact, a stored result, an attestation) gets this long. */
    private static final Duration ITEM_DEADLINE = Duration.ofSeconds(10);
    /** How many earlier runs the history of each item on the show view covers. */
    public static final int HISTORY = 20;

    /** A checklist as listed: its definition, its last run (null before the first) and its items by state. */
    public record Summary(CompiledChecklist list, ChecklistRun last, Map<ItemState, Integer> counts) {}

    /**
     * One item as shown: its section, definition, latest result (null before the first run), its earlier results
     * (newest first), its newest attestation and its newest waiver (null when none).
     */
    public record ItemView(
            String section,
            ChecklistDef.Item item,
            ItemResult latest,
            List<ItemResult> history,
            Attestation attestation,
            Waiver waiver) {}

    /** A checklist with everything a page, the API or an export shows. */
    public record Detail(
            CompiledChecklist list,
            ChecklistRun last,
            List<ItemView> items,
            List<Attestation> attestations,
            List<Waiver> waivers) {}

    /** A finished run and its results in item order. */
    public record Report(ChecklistRun run, List<ItemResult> results) {}

    private final ChecklistStore store;
    private final Supplier<Map<String, CompiledChecklist>> config;
    private final Supplier<Masker> masker;
    private final ChecklistSources sources;
    private final ChecklistAlerts alerts;
    private final ChecklistMetrics metrics;
    private final Clock clock;
    private final Attesting attesting;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Instant> nextFire = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;

    /** {@code masker}: the running configuration's secrets; {@code alerts} may be null (no alerts). */
    public Checklists(
            Store store,
            Supplier<Map<String, CompiledChecklist>> config,
            Supplier<Masker> masker,
            ChecklistSources sources,
            AlertSink alerts,
            MeterRegistry registry,
            Clock clock) {
        this.store = new ChecklistStore(store);
        this.config = config;
        this.masker = masker;
        this.sources = sources;
        this.alerts = new ChecklistAlerts(alerts, clock);
        this.metrics = new ChecklistMetrics(registry);
        this.clock = clock;
        this.attesting = new Attesting(this.store, this::checklist, clock);
        config.get().keySet().forEach(metrics::checklist);
    }

    /** Checks every 5 s whether a checklist is due; a due one runs on this thread, one after the other. */
    public Checklists start() {
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("opsdeck-checklists").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tick, 5, 5, TimeUnit.SECONDS);
        return this;
    }

    /** Runs each checklist that is due: its cron time came, or {@code every} passed since its last run. */
    public void tick() {
        Instant now = clock.instant();
        for (CompiledChecklist c : config.get().values()) {
            ChecklistDef def = c.def();
            try {
                boolean due = false;
                if (def.schedule() != null) {
                    Instant next = nextFire.computeIfAbsent(
                            def.name(), n -> def.schedule().next(now, java.time.ZoneOffset.UTC));
                    if (next != null && !now.isBefore(next)) {
                        due = true;
                        nextFire.put(def.name(), def.schedule().next(now, java.time.ZoneOffset.UTC));
                    }
                }
                if (!due && def.every() != null) {
                    ChecklistRun last = store.lastRun(def.name()).orElse(null);
                    due = last == null
                            || now.toEpochMilli() - last.startedMs()
                                    >= def.every().toMillis();
                }
                if (due) run(def.name(), ChecklistRun.SCHEDULE, ChecklistRun.SCHEDULE);
            } catch (RuntimeException e) {
                LOG.warn("event=checklist_tick_failed checklist={} error=\"{}\"", def.name(), e.toString());
            }
        }
    }

    public List<CompiledChecklist> checklists() {
        return List.copyOf(config.get().values());
    }

    public CompiledChecklist checklist(String name) {
        CompiledChecklist c = config.get().get(name);
        if (c == null)
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.UNKNOWN,
                    "no checklist '" + name + "'; configured: "
                            + String.join(", ", config.get().keySet()));
        return c;
    }

    /** Proves every item now and stores the run; runs of one checklist take turns. */
    public Report run(String name, String cause, String actor) {
        CompiledChecklist list = checklist(name);
        synchronized (locks.computeIfAbsent(name, n -> new Object())) {
            long started = clock.millis();
            String runId = Ids.next();
            Map<String, Attestation> attested = attesting.newestAttestations(name);
            Map<String, Waiver> waived = attesting.waiverThatCounts(name, started);
            List<ItemResult> results =
                    prove(list, new ItemProver(sources, masker.get()), attested, waived, runId, started, clock);
            Map<String, ItemResult> byId = new LinkedHashMap<>();
            results.forEach(r -> byId.put(r.itemId(), r));
            Score score = Score.of(list.def(), byId);
            ChecklistRun run = new ChecklistRun(
                    runId,
                    name,
                    cause,
                    actor,
                    list.configHash(),
                    started,
                    clock.millis(),
                    score.percent(),
                    score.ready());
            Map<String, ItemResult> previous =
                    store.lastRun(name).map(r -> store.results(r.id())).orElse(Map.of());
            store.save(run, results);
            alerts.compare(list.def(), previous, byId);
            Map<ItemState, Integer> counts = counts(results);
            metrics.ran(name, score.percent(), counts);
            LOG.info(
                    "event=checklist_run checklist={} run={} cause={} score={} state={} duration_ms={}",
                    name,
                    runId,
                    cause,
                    score.percent(),
                    run.state(),
                    run.endedMs() - run.startedMs());
            return new Report(run, results);
        }
    }

    /**
     * Proves every item of {@code list} now, without storing anything: what {@code opsdeck doctor} and the production
     * profile's start run, offline, with no attestation and no waiver (those live in the store). Nothing is kept, so
     * nothing is masked: the caller prints what its own items say (the doctor's never hold a secret's value).
     */
    public static List<ItemResult> proveNow(CompiledChecklist list, ChecklistSources sources, Clock clock) {
        ItemProver prover = new ItemProver(sources, new Masker(List.of()));
        return prove(list, prover, Map.of(), Map.of(), Ids.next(), clock.millis(), clock);
    }

    /**
     * The configuration's secrets, which stored evidence is masked with (as runbook output is): every {@code ${env:}}
     * and {@code ${file:}} value, inventory keys, datasource passwords.
     */
    public static Masker masker(OpsdeckConfig config) {
        return Masker.of(config.runbooks());
    }

    /** Each item on its own virtual thread, each within its deadline; the results in item order. */
    private static List<ItemResult> prove(
            CompiledChecklist list,
            ItemProver prover,
            Map<String, Attestation> attested,
            Map<String, Waiver> waived,
            String runId,
            long started,
            Clock clock) {
        List<ItemResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ItemResult>> futures = new ArrayList<>();
            for (ChecklistDef.Item item : list.def().items()) {
                futures.add(pool.submit(() ->
                        prover.prove(runId, list, item, attested.get(item.id()), waived.get(item.id()), started)));
            }
            List<ChecklistDef.Item> items = list.def().items();
            for (int i = 0; i < items.size(); i++) {
                results.add(await(futures.get(i), list, items.get(i), runId, started, clock));
            }
            pool.shutdownNow();
        }
        return results;
    }

    private static ItemResult await(
            Future<ItemResult> f,
            CompiledChecklist list,
            ChecklistDef.Item item,
            String runId,
            long started,
            Clock clock) {
        Duration deadline = list.inline(item.id()) != null
                ? list.inline(item.id()).definition().timeout().plusSeconds(1)
                : ITEM_DEADLINE;
        long left = Math.max(1, started + deadline.toMillis() - clock.millis());
        try {
            return f.get(left, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return failed(list, item, runId, started, "timed out after " + deadline.toMillis() + " ms", clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(list, item, runId, started, "interrupted", clock);
        } catch (java.util.concurrent.ExecutionException e) {
            return failed(list, item, runId, started, "could not prove this item: " + e.getCause(), clock);
        }
    }

    private static ItemResult failed(
            CompiledChecklist list, ChecklistDef.Item item, String runId, long at, String why, Clock clock) {
        return new ItemResult(
                runId, list.def().name(), item.id(), ItemState.ERROR, why, Map.of(), clock.millis() - at, at);
    }

    static Map<ItemState, Integer> counts(List<ItemResult> results) {
        Map<ItemState, Integer> counts = new EnumMap<>(ItemState.class);
        results.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
        return counts;
    }

    /** Every checklist with its last run and its items by state. */
    public List<Summary> list() {
        List<Summary> out = new ArrayList<>();
        for (CompiledChecklist c : config.get().values()) {
            ChecklistRun last = store.lastRun(c.def().name()).orElse(null);
            Map<ItemState, Integer> counts = last == null
                    ? Map.of()
                    : counts(List.copyOf(store.results(last.id()).values()));
            out.add(new Summary(c, last, counts));
        }
        return out;
    }

    /** One checklist with each item's latest result and its history over the last {@link #HISTORY} runs. */
    public Detail show(String name) {
        CompiledChecklist c = checklist(name);
        List<ChecklistRun> runs = store.runs(name, HISTORY);
        ChecklistRun last = runs.isEmpty() ? null : runs.getFirst();
        Map<String, List<ItemResult>> history =
                store.history(name, runs.stream().map(ChecklistRun::id).toList());
        Map<String, Attestation> attested = attesting.newestAttestations(name);
        Map<String, Waiver> waivers = attesting.newestWaivers(name);
        List<ItemView> items = new ArrayList<>();
        for (ChecklistDef.Section s : c.def().sections()) {
            for (ChecklistDef.Item i : s.items()) {
                List<ItemResult> h = history.getOrDefault(i.id(), List.of());
                ItemResult latest =
                        !h.isEmpty() && last != null && h.getFirst().runId().equals(last.id()) ? h.getFirst() : null;
                items.add(new ItemView(s.title(), i, latest, h, attested.get(i.id()), waivers.get(i.id())));
            }
        }
        return new Detail(c, last, items, attesting.attestations(name), attesting.waivers(name));
    }

    /** One item's results, newest first. */
    public List<ItemResult> history(String name, String itemId, int limit) {
        attesting.item(checklist(name), itemId);
        return store.history(name, itemId, limit);
    }

    public List<ChecklistRun> runs(String name, int limit) {
        checklist(name);
        return store.runs(name, limit);
    }

    /**
     * The checklists' alerts that fire now, as the firing events that raised them, for {@code GET /api/v1/alerts}
     * beside the rules' alerts. Read from the stored runs rather than kept apart: an item's alert fires from its first
     * result that is not proven after its newest proven one, until a run proves it again, which is exactly what
     * {@link ChecklistAlerts#compare} told the incident manager. So every node sharing the store answers the same.
     */
    public List<AlertEvent> firing() {
        if (!alerts.enabled()) return List.of();
        List<AlertEvent> out = new ArrayList<>();
        for (CompiledChecklist c : config.get().values()) {
            ChecklistDef def = c.def();
            ChecklistRun last = store.lastRun(def.name()).orElse(null);
            if (last == null) continue;
            for (ItemResult r : store.results(last.id()).values()) {
                if (r.state().proven()) continue;
                ChecklistDef.Item item = def.item(r.itemId()).orElse(null);
                if (item == null) continue; // no longer configured
                Long since = store.failingSince(def.name(), item.id());
                if (since != null) out.add(alerts.stillFiring(def, item, r, since));
            }
        }
        return out;
    }

    /** Attestations and waivers: who may do what, checked there. */
    public Attesting attesting() {
        return attesting;
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
    }
}
