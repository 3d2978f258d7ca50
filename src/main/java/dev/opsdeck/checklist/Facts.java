package dev.opsdeck.checklist;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The table of facts an item may name ({@code fact: NAME}), one line per fact. */
final class Facts {
    private final Map<String, FactType> types = new TreeMap<>();

    static Facts standard() {
        Facts t = new Facts();
        t.add(new BackupVerified());
        t.add(new DrillPassed());
        t.add(new RunbookSucceeded());
        t.add(new PagingRouted());
        t.add(new ClusterNodes());
        t.add(new MetricsScraped());
        return t;
    }

    void add(FactType type) {
        types.put(type.name(), type);
    }

    FactType get(String name) {
        return types.get(name);
    }

    Set<String> names() {
        return types.keySet();
    }

    /** A name that must be one of {@code known}; reported with the known names when it is not. */
    static String ref(Fields f, String key, Set<String> known, String what) {
        String ref = f.requiredString(key);
        if (ref != null && !known.contains(ref)) {
            String guess = Fields.closest(ref, known);
            f.problems()
                    .add(
                            f.positionOf(key),
                            f.section() + "." + key + ": no " + what + " '" + ref + "'",
                            known.isEmpty()
                                    ? "none is configured"
                                    : guess != null ? "did you mean '" + guess + "'?" : "configured: " + known);
        }
        return ref;
    }

    static String age(long nowMs, long thenMs) {
        return Units.format(Duration.ofMillis(Math.max(0, nowMs - thenMs)).withNanos(0)) + " ago";
    }

    static Map<String, Object> evidence(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    /** {@code backup.verified}: the newest verified backup of {@code target} is younger than {@code max_age}. */
    static final class BackupVerified implements FactType {
        public String name() {
            return "backup.verified";
        }

        public Judge configure(Fields f, OpsdeckConfig config) {
            String target = ref(f, "target", config.keep().backups().keySet(), "backup target");
            Duration maxAge = f.positiveDuration("max_age", Duration.ofHours(26));
            boolean offsite = f.bool("offsite", false);
            if (target == null) return null;
            return (sources, now) -> {
                var b = sources.lastVerifiedBackup(target);
                if (b == null) return Proof.failed("no verified backup of " + target, evidence("target", target));
                List<String> offHost = b.copies().entrySet().stream()
                        .filter(e -> e.getValue() && !b.local().contains(e.getKey()))
                        .map(Map.Entry::getKey)
                        .toList();
                var ev = evidence(
                        "target",
                        target,
                        "backup",
                        b.id(),
                        "verified_at",
                        Instant.ofEpochMilli(b.verifiedMs()).toString(),
                        "copies",
                        b.copies(),
                        "off_host",
                        offHost);
                if (now - b.verifiedMs() > maxAge.toMillis())
                    return Proof.failed(
                            "last verified backup of " + target + " " + age(now, b.verifiedMs()) + ", older than "
                                    + Units.format(maxAge),
                            ev);
                if (offsite && offHost.isEmpty())
                    return Proof.failed("backup " + b.id() + " of " + target + " has no verified off-host copy", ev);
                return Proof.ok("backup " + b.id() + " of " + target + " verified " + age(now, b.verifiedMs()), ev);
            };
        }
    }

    /**
     * {@code drill.passed}: a drill of backup target {@code target} passed on each of the last {@code days_in_a_row}
     * days (UTC); or, with {@code max_age} instead, its newest passed drill is younger than that (a monthly drill).
     */
    static final class DrillPassed implements FactType {
        public String name() {
            return "drill.passed";
        }

        public Judge configure(Fields f, OpsdeckConfig config) {
            Set<String> targets = new java.util.TreeSet<>();
            // a drill whose own definition is broken has no target; its own problem is reported where it is defined
            config.keep().drills().values().forEach(d -> {
                if (d.target() != null) targets.add(d.target());
            });
            String target = ref(f, "target", targets, "backup target with a drill");
            int days = f.integer("days_in_a_row", 1, 1, 366);
            Duration maxAge = f.positiveDuration("max_age", null);
            if (maxAge != null && f.has("days_in_a_row"))
                f.problem("max_age", "give days_in_a_row or max_age, not both");
            if (target == null) return null;
            if (maxAge != null) return (sources, now) -> newest(sources.drillPasses(target, 1), target, maxAge, now);
            return (sources, now) -> {
                List<Long> passes = sources.drillPasses(target, 50 * days);
                Set<LocalDate> passedOn = new java.util.HashSet<>();
                passes.forEach(ms -> passedOn.add(
                        Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC).toLocalDate()));
                LocalDate day = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
                if (!passedOn.contains(day)) day = day.minusDays(1); // today's drill may not have run yet
                int streak = 0;
                while (passedOn.contains(day.minusDays(streak))) streak++;
                var ev = evidence(
                        "target",
                        target,
                        "days_in_a_row",
                        streak,
                        "required",
                        days,
                        "last_passed_at",
                        passes.isEmpty()
                                ? null
                                : Instant.ofEpochMilli(passes.getFirst()).toString());
                String msg = "drills of " + target + " passed " + streak + " day" + (streak == 1 ? "" : "s")
                        + " in a row (need " + days + ")";
                return streak >= days ? Proof.ok(msg, ev) : Proof.failed(msg, ev);
            };
        }

        private static Proof newest(List<Long> passes, String target, Duration maxAge, long now) {
            Long last = passes.isEmpty() ? null : passes.getFirst();
            var ev = evidence(
                    "target",
                    target,
                    "last_passed_at",
                    last == null ? null : Instant.ofEpochMilli(last).toString(),
                    "max_age",
                    Units.format(maxAge));
            if (last == null) return Proof.failed("no drill of " + target + " passed yet", ev);
            String msg = "the last drill of " + target + " passed " + age(now, last);
            return now - last <= maxAge.toMillis()
                    ? Proof.ok(msg, ev)
                    : Proof.failed(msg + ", longer than " + Units.format(maxAge), ev);
        }
    }

    /** {@code runbook.succeeded}: runbook {@code runbook} succeeded within {@code max_age}. */
    static final class RunbookSucceeded implements FactType {
        public String name() {
            return "runbook.succeeded";
        }

        public Judge configure(Fields f, OpsdeckConfig config) {
            String runbook = ref(f, "runbook", config.runbooks().runbooks().keySet(), "runbook");
            Duration maxAge = f.positiveDuration("max_age", Duration.ofDays(90));
            if (runbook == null) return null;
            return (sources, now) -> {
                Long last = sources.lastRunbookSuccess(runbook);
                var ev = evidence(
                        "runbook",
                        runbook,
                        "last_success_at",
                        last == null ? null : Instant.ofEpochMilli(last).toString(),
                        "max_age",
                        Units.format(maxAge));
                if (last == null) return Proof.failed("runbook " + runbook + " never succeeded", ev);
                String msg = "runbook " + runbook + " last succeeded " + age(now, last);
                return now - last <= maxAge.toMillis()
                        ? Proof.ok(msg, ev)
                        : Proof.failed(msg + ", longer than " + Units.format(maxAge), ev);
            };
        }
    }

    /** {@code paging.p1_routed}: a P1 incident reaches someone: an escalation policy takes it and has a step that pages. */
    static final class PagingRouted implements FactType {
        public String name() {
            return "paging.p1_routed";
        }

        public Judge configure(Fields f, OpsdeckConfig config) {
            List<OnCallConfig.Policy> policies = config.paging().oncall().policies();
            Set<String> channels = config.paging().channels().channels().keySet();
            List<String> routing = policies.stream()
                    // scoped policies first: matches() must not be asked about an incident with no service
                    .filter(p -> p.services().isEmpty()
                            && p.labels().isEmpty()
                            && (p.isDefault() || p.matches("P1", null, Map.of())))
                    .filter(p -> p.steps().stream()
                            .anyMatch(s -> !s.rotations().isEmpty()
                                    || !s.contacts().isEmpty()
                                    || !s.channels().isEmpty()))
                    .map(OnCallConfig.Policy::key)
                    .toList();
            return (sources, now) -> {
                var ev = evidence("policies", routing, "channels", List.copyOf(channels));
                if (channels.isEmpty()) return Proof.failed("no notification channel is configured", ev);
                if (routing.isEmpty())
                    return Proof.failed("no escalation policy takes every P1 incident and pages someone", ev);
                return Proof.ok("P1 incidents go to escalation policy " + String.join(", ", routing), ev);
            };
        }
    }

    /** {@code cluster.nodes}: at least {@code min} live nodes. */
    static final class ClusterNodes implements FactType {
        public String name() {
            return "cluster.nodes";
        }

        public Judge configure(Fields f, OpsdeckConfig config) {
            int min = f.integer("min", 1, 1, 1000);
            return (sources, now) -> {
                List<String> nodes = sources.liveNodes();
                String msg = nodes.size() + " live node" + (nodes.size() == 1 ? "" : "s") + " (need " + min + ")";
                var ev = evidence("nodes", nodes, "count", nodes.size(), "min", min);
                return nodes.size() >= min ? Proof.ok(msg, ev) : Proof.failed(msg, ev);
            };
        }
    }

    /** {@code metrics.scraped}: something fetched {@code GET /metrics} within {@code max_age}. */
    static final class MetricsScraped implements FactType {
        public String name() {
            return "metrics.scraped";
        }

        public Judge configure(Fields f, OpsdeckConfig config) {
            Duration maxAge = f.positiveDuration("max_age", Duration.ofMinutes(5));
            return (sources, now) -> {
                Long last = sources.lastMetricsScrape();
                var ev = evidence(
                        "last_scrape_at",
                        last == null ? null : Instant.ofEpochMilli(last).toString(),
                        "max_age",
                        Units.format(maxAge));
                if (last == null) return Proof.failed("/metrics was not scraped since the server started", ev);
                String msg = "/metrics scraped " + age(now, last);
                return now - last <= maxAge.toMillis()
                        ? Proof.ok(msg, ev)
                        : Proof.failed(msg + ", longer than " + Units.format(maxAge), ev);
            };
        }
    }
}
