package dev.opsdeck.probe;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.CompactMap;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.condition.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A check ready to run: its definition, its probe and its parsed conditions. */
public final class CompiledCheck implements AutoCloseable {
    private final CheckDef definition;
    private final Probe probe;
    private final List<Condition> conditions;
    private final List<Condition> degradedWhen;
    /** The message of a good result, built once: every check keeps its last result between runs. */
    private final String summary;

    public CompiledCheck(CheckDef definition, Probe probe, List<Condition> conditions, List<Condition> degradedWhen) {
        this.definition = definition;
        this.probe = probe;
        this.conditions = List.copyOf(conditions);
        this.degradedWhen = List.copyOf(degradedWhen);
        this.summary = conditions.isEmpty()
                ? "ok"
                : (conditions.size() + "/" + conditions.size() + " conditions hold").intern();
    }

    public CheckDef definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    /** Probes once and judges the observation. Never throws: failures become a DOWN result. */
    public CheckResult run() {
        return run(o -> {});
    }

    /**
     * Probes once and judges, first handing the whole observation to {@code seen} (a checklist keeps a command's
     * output or a body as evidence, which the result's values leave out).
     */
    public CheckResult run(java.util.function.Consumer<Observation> seen) {
        Instant at = Instant.now();
        long start = System.nanoTime();
        Observation o;
        try {
            o = probe.observe(new ProbeContext(definition.timeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.down(at, elapsed(start), "timed out after " + format(definition.timeout()));
        } catch (Exception e) {
            o = Observation.failed(Failures.describe(e, definition.timeout()));
        }
        long latency = elapsed(start);
        if (!o.has("RESPONSE_TIME")) {
            o.put("RESPONSE_TIME", Duration.ofMillis(latency));
        }
        seen.accept(o);
        if (o.failure() != null) {
            return new CheckResult(Status.DOWN, at, latency, o.failure(), keep(o));
        }
        return judge(o, at, latency);
    }

    /** Applies the conditions to an observation (public for tests and `check run`). */
    public CheckResult judge(Observation o, Instant at, long latency) {
        List<String> failed = new ArrayList<>();
        for (Condition c : conditions) {
            Condition.Outcome out = c.evaluate(o);
            if (!out.holds()) failed.add(out.message());
        }
        if (!failed.isEmpty()) {
            return new CheckResult(Status.DOWN, at, latency, String.join("; ", failed), keep(o));
        }
        List<String> degraded = new ArrayList<>();
        for (Condition c : degradedWhen) {
            Condition.Outcome out = c.evaluate(o);
            if (out.holds()) degraded.add("degraded: " + out.message());
        }
        if (!degraded.isEmpty()) {
            return new CheckResult(Status.DEGRADED, at, latency, String.join("; ", degraded), keep(o));
        }
        return new CheckResult(Status.UP, at, latency, summary, keep(o));
    }

    /** Keeps scalar measurements (not bodies) for history and the API. */
    private static Map<String, Object> keep(Observation o) {
        Map<String, Object> values = o.values();
        String[] keys = new String[values.size()];
        Object[] kept = new Object[values.size()];
        int n = 0;
        for (var e : values.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.contains("#") || k.equals("BODY") || k.equals("STDOUT") || k.equals("STDERR")) continue;
            Object value = v instanceof Duration d
                    ? (Object) d.toMillis()
                    : v instanceof Observation.Size s
                            ? (Object) s.bytes()
                            : v instanceof Number || v instanceof Boolean || v instanceof String t && t.length() <= 200
                                    ? v
                                    : null;
            if (value == null) continue;
            keys[n] = k;
            kept[n++] = value;
        }
        return CompactMap.of(keys, kept, n);
    }

    private static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String format(Duration d) {
        return Units.format(d);
    }

    @Override
    public void close() {
        try {
            probe.close();
        } catch (Exception ignored) {
            // closing a probe must never break a reload
        }
    }
}
