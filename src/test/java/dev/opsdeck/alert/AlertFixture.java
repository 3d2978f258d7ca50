package dev.opsdeck.alert;

import dev.opsdeck.ManualClock;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real alert engine on a real configuration, fed real check results under a clock the test moves by hand:
 * `for` durations are waited out by advancing the clock, never by sleeping.
 */
final class AlertFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final List<AlertEvent> events = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AlertEngine engine;
    final Blueprint blueprint;
    /** The status each check had at its last result, to tell the engine what changed, as the monitor does. */
    private final Map<String, Status> last = new HashMap<>();

    AlertFixture(Path dir, String yaml, Store store, AlertSink sink) throws Exception {
        blueprint = load(dir, yaml);
        AlertSink recording = e -> {
            events.add(e);
            if (sink != null) sink.accept(e);
        };
        engine = new AlertEngine(recording, RootCauses.NONE, store, registry, CheckTypes.standard(), clock);
        engine.apply(blueprint.config(), blueprint.checks());
    }

    static Blueprint load(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("opsdeck.yaml");
        Files.writeString(file, yaml);
        return new Compiler(ConfigLoader.standard()).load(file);
    }

    /** A result at the clock's time; the engine is told the previous status when it changed. */
    void result(String checkId, Status status, String message, Map<String, Object> values) {
        Status before = last.getOrDefault(checkId, Status.UNKNOWN);
        last.put(checkId, status);
        engine.onResult(
                checkId,
                new CheckResult(status, clock.instant(), 5, message, values),
                status,
                before == status ? null : before);
    }

    void down(String checkId) {
        result(checkId, Status.DOWN, "connection refused", Map.of());
    }

    void up(String checkId) {
        result(checkId, Status.UP, "1/1 conditions hold", Map.of());
    }

    List<AlertEvent> events(AlertEvent.State state) {
        return events.stream().filter(e -> e.state() == state).toList();
    }

    double metric(String name, String tag, String value) {
        var m = registry.find(name).tag(tag, value);
        return m.gauge() != null ? m.gauge().value() : m.counter().count();
    }

    @Override
    public void close() {
        engine.close();
        blueprint.checks().values().forEach(c -> c.close());
    }

    static String tcpChecks(String... ids) {
        StringBuilder b = new StringBuilder("services:\n");
        String service = null;
        for (String id : ids) {
            String[] p = id.split("/");
            if (!p[0].equals(service)) b.append("  ").append(p[0]).append(":\n    checks:\n");
            service = p[0];
            b.append("      ").append(p[1]).append(": {type: tcp, host: 127.0.0.1, port: 1, interval: 1h}\n");
        }
        return b.toString();
    }

    static Path temp() throws IOException {
        return Files.createTempDirectory("opsdeck-alert-");
    }
}
