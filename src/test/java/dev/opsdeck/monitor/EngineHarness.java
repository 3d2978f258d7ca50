package dev.opsdeck.monitor;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real engine (no store) plus every result it reported, for tests. */
final class EngineHarness implements AutoCloseable {
    record Event(long receivedMs, CheckResult result, Status current, Status previous) {}

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MonitorEngine engine = new MonitorEngine(null, new MonitorMetrics(registry), Clock.systemUTC());
    final Map<String, List<Event>> events = new ConcurrentHashMap<>();

    EngineHarness() {
        engine.addListener(
                (id, result, current, previous) -> events.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                        .add(new Event(System.currentTimeMillis(), result, current, previous)));
    }

    void apply(Blueprint bp) {
        engine.apply(bp.config(), bp.checks(), Map.of());
    }

    static Blueprint load(Path config) throws Exception {
        return new Compiler(ConfigLoader.standard()).load(config);
    }

    List<Event> of(String checkId) {
        return events.getOrDefault(checkId, List.of());
    }

    ServiceStatus service(String name) {
        return engine.services().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    ServiceStatus.CheckStatus check(String id) {
        return engine.services().stream()
                .flatMap(s -> s.checks().stream())
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElse(null);
    }

    double maxLagSeconds() {
        return registry.get("opsdeck_schedule_lag").timer().max(TimeUnit.MILLISECONDS) / 1000.0;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
