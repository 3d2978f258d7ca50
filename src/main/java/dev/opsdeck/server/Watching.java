package dev.opsdeck.server;

import dev.opsdeck.api.ApiRoutes;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.config.MonitoringConfig;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.MonitorMetrics;
import dev.opsdeck.monitor.UptimeBoard;
import dev.opsdeck.store.HistoryRepository;
import dev.opsdeck.store.ResultWriter;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoredState;
import dev.opsdeck.web.Dashboard;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks and what they leave: the monitor engine, the writer that stores its results, the history read back
 * from the store, the checks' 24-hour uptime kept in memory, and the metrics registry every part reports to ({@code lastScrapeMs}: when {@code /metrics} was
 * last answered, 0 before; a checklist fact reads it). The engine runs no check until {@link #run}.
 */
record Watching(
        Store store,
        HistoryRepository history,
        ResultWriter writer,
        PrometheusMeterRegistry registry,
        MonitorEngine engine,
        UptimeBoard uptime,
        Clock clock,
        AtomicLong lastScrapeMs) {
    private static final Logger LOG = LoggerFactory.getLogger(Watching.class);

    static Watching start(Store store, Clock clock, Started started) {
        HistoryRepository history = new HistoryRepository(store);
        ResultWriter writer = started.add(new ResultWriter(store, 200_000));
        PrometheusMeterRegistry registry = prometheus();
        MonitorEngine engine = new MonitorEngine(writer, new MonitorMetrics(registry), clock);
        UptimeBoard uptime = new UptimeBoard(history, writer, clock);
        engine.addListener(uptime);
        return new Watching(store, history, writer, registry, engine, uptime, clock, new AtomicLong());
    }

    private static PrometheusMeterRegistry prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // binder meters whose names fail `promtool check metrics` (unit "ns", a gauge ending in _count);
        // process_cpu_usage and system_cpu_usage still cover the CPU
        registry.config()
                .meterFilter(MeterFilter.deny(id ->
                        id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Starts the checks of the blueprint, each from the state the store kept for it. */
    void run(Blueprint blueprint, Started started) {
        started.add(engine);
        apply(blueprint);
    }

    /** Applies a (reloaded) blueprint: new checks start, removed ones stop, the others keep their state. */
    void apply(Blueprint blueprint) {
        engine.apply(blueprint.config(), blueprint.checks(), storedStates());
    }

    /**
     * {@code configProblem}: null, or why this node's configuration differs from the other nodes' (for /ready);
     * {@code moreMetrics}: lines appended to /metrics.
     */
    void register(
            JavalinConfig c,
            ConfigWatcher watcher,
            Dashboard dashboard,
            Supplier<String> configProblem,
            Supplier<String> moreMetrics) {
        Supplier<List<String>> readiness = () -> {
            List<String> problems = readiness();
            String differs = configProblem.get();
            if (differs != null) problems.add(differs);
            return problems;
        };
        new ApiRoutes(engine, history, uptime, watcher, registry, readiness, clock, lastScrapeMs::set, moreMetrics)
                .register(c);
        dashboard.register(c);
    }

    /** The services the engine watches now, for the on-call page's maintenance form. */
    Set<String> serviceNames() {
        return new LinkedHashSet<>(engine.serviceNames());
    }

    /**
     * Retention runs on the leader only; with other nodes, the checks they probe show what they stored, read every
     * beat.
     */
    void housekeep(ScheduledExecutorService housekeeping, RunningConfig running, Cluster cluster) {
        housekeeping.scheduleWithFixedDelay(
                () -> cluster.asLeader("retention", () -> prune(running)), 1, 10, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(
                () -> {
                    if (cluster.liveNodes().size() > 1) engine.follow(storedStates());
                },
                Cluster.BEAT_MS,
                Cluster.BEAT_MS,
                TimeUnit.MILLISECONDS);
    }

    private List<String> readiness() {
        List<String> problems = new ArrayList<>();
        String storeProblem = store.problem();
        if (storeProblem != null) problems.add(storeProblem);
        // also while the store answers a ping: the writer's error often names the cause more precisely
        if (writer.lastError() != null) problems.add("store writes failing: " + writer.lastError());
        return problems;
    }

    private Map<String, StoredState> storedStates() {
        Map<String, StoredState> out = new HashMap<>();
        try {
            history.states().forEach(s -> out.put(s.checkId(), s));
        } catch (Exception e) {
            LOG.warn("event=state_restore_failed error=\"{}\"", e.toString());
        }
        return out;
    }

    private void prune(RunningConfig running) {
        MonitoringConfig m = running.get().config().monitoring();
        try {
            int n = history.prune(
                    clock.millis(),
                    new HistoryRepository.Retention(
                            m.rawRetention().toMillis(),
                            m.minuteRetention().toMillis(),
                            m.hourRetention().toMillis(),
                            m.dayRetention().toMillis()));
            if (n > 0) LOG.info("event=history_pruned rows={}", n);
        } catch (Exception e) {
            LOG.warn("event=history_prune_failed error=\"{}\"", e.toString());
        }
    }
}
