package dev.opsdeck.alert;

import dev.opsdeck.config.AlertRule;
import dev.opsdeck.config.AlertsConfig;
import dev.opsdeck.config.CheckAlert;
import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.CompactMap;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every alert of one configuration, indexed by the check whose results drive it. Built on each apply from a
 * blueprint the loader has already validated (so parsing cannot fail here) and swapped in one assignment.
 */
final class RuleBook {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Za-z_]+)]");
    static final RuleBook EMPTY = new RuleBook(Map.of(), Map.of(), Map.of(), Map.of(), 600_000, 5);

    final Map<String, Watch[]> byCheck;
    final Map<String, List<String>> checksOfService;
    final Map<String, Watch> byFingerprint;
    /** See {@link DependencyWaits}: by service, absent for services that never wait. */
    final Map<String, Long> dependencyWaitMs;

    final long flapWindowMs;
    final int flapChanges;

    private RuleBook(
            Map<String, Watch[]> byCheck,
            Map<String, List<String>> checksOfService,
            Map<String, Watch> byFingerprint,
            Map<String, Long> dependencyWaitMs,
            long flapWindowMs,
            int flapChanges) {
        this.byCheck = byCheck;
        this.dependencyWaitMs = dependencyWaitMs;
        this.checksOfService = checksOfService;
        this.byFingerprint = byFingerprint;
        this.flapWindowMs = flapWindowMs;
        this.flapChanges = flapChanges;
    }

    static RuleBook compile(OpsdeckConfig config, Map<String, CompiledCheck> checks, CheckTypes types) {
        AlertsConfig alerts = config.paging().alerts();
        Map<String, List<Watch>> byCheck = new LinkedHashMap<>();
        Map<String, List<String>> checksOfService = new HashMap<>();
        Map<String, String> typeOf = new HashMap<>();
        Problems ignored = new Problems(); // reported by the loader already
        Map<String, CheckDef> defs = new LinkedHashMap<>();
        for (ServiceDef s : config.services()) {
            List<String> ids = new ArrayList<>();
            for (CheckDef c : s.checks()) {
                if (!checks.containsKey(c.id())) continue;
                ids.add(c.id());
                typeOf.put(c.id(), c.type());
                defs.put(c.id(), c);
                List<Watch> list = byCheck.computeIfAbsent(c.id(), k -> new ArrayList<>());
                CheckAlert own = CheckAlert.read(c, alerts.defaults(), ignored);
                if (own.enabled()) list.add(checkWatch(c, own, Watch.Kind.CHECK, Fingerprints.ofCheck(c.id()), c.id()));
            }
            checksOfService.put(s.name(), List.copyOf(ids));
        }
        for (AlertRule r : alerts.rules().values()) {
            if (r.check() != null) {
                CheckType type = types.get(typeOf.getOrDefault(r.check(), ""));
                if (type == null) continue; // the check does not run (disabled): nothing drives the rule
                byCheck.get(r.check()).add(rule(r, type));
            } else {
                Watch w = rule(r, null);
                for (String id : checksOfService.getOrDefault(r.service(), List.of()))
                    byCheck.get(id).add(w);
            }
        }
        defs.forEach((id, c) -> {
            List<Watch> list = byCheck.get(id);
            // right after the check's own alert when there is one: its alerts are judged first, as they always were
            flapping(c, list)
                    .ifPresent(w ->
                            list.add(!list.isEmpty() && list.getFirst().kind == Watch.Kind.CHECK ? 1 : list.size(), w));
        });
        Map<String, Watch[]> index = new HashMap<>();
        Map<String, Watch> all = new LinkedHashMap<>();
        byCheck.forEach((id, list) -> {
            index.put(id, list.toArray(Watch[]::new));
            list.forEach(w -> all.put(w.fingerprint, w));
        });
        var m = config.monitoring();
        return new RuleBook(
                Map.copyOf(index),
                Map.copyOf(checksOfService),
                all,
                DependencyWaits.of(config.services(), alerts.defaults().dependencyWait()),
                m.flapWindow().toMillis(),
                m.flapChanges());
    }

    /**
     * The check's flapping alert, which speaks for every alert that flapping freezes on it (its own down/degraded
     * alert, {@code state: down|degraded} rules on it or its service): so a check whose own alert is off still pages,
     * once, when it flaps while such a rule watches it. It takes the most severe of them (the check's own alert
     * first on a tie): its severity, {@code for}, runbook, labels and dependency awareness. None when nothing on
     * the check freezes, or a {@code state: flapping} rule on it or its service alerts on the flag already (and the
     * check's own alert is off).
     */
    private static Optional<Watch> flapping(CheckDef c, List<Watch> watches) {
        Watch chosen = null;
        boolean own = false, flagRule = false;
        for (Watch w : watches) {
            if (w.kind == Watch.Kind.CHECK) own = true;
            if (w.kind == Watch.Kind.RULE && "flapping".equals(w.state)) flagRule = true;
            boolean frozen = w.kind == Watch.Kind.CHECK
                    || w.kind == Watch.Kind.RULE && ("down".equals(w.state) || "degraded".equals(w.state));
            if (frozen && (chosen == null || w.severity.compareTo(chosen.severity) < 0)) chosen = w;
        }
        if (chosen == null || flagRule && !own) return Optional.empty();
        Map<String, String> ownLabels = new LinkedHashMap<>(chosen.labels);
        ownLabels.keySet().removeAll(List.of("alertname", "service", "check"));
        String name = c.id() + " flapping";
        return Optional.of(new Watch(
                Watch.Kind.FLAPPING,
                name,
                Fingerprints.ofFlapping(c.id()),
                c.service(),
                c.id(),
                chosen.severity,
                chosen.forMs,
                labels(name, c.service(), c.id(), ownLabels),
                chosen.runbook,
                chosen.dependencyAware,
                null,
                null,
                true,
                false,
                null,
                List.of(),
                new String[0]));
    }

    private static Watch checkWatch(CheckDef c, CheckAlert a, Watch.Kind kind, String fingerprint, String name) {
        return new Watch(
                kind,
                name,
                fingerprint,
                c.service(),
                c.id(),
                AlertEvent.Severity.valueOf(a.severity()),
                a.forDuration().toMillis(),
                labels(name, c.service(), c.id(), a.labels()),
                a.runbook(),
                a.dependencyAware(),
                null,
                null,
                a.onDown(),
                a.onDegraded(),
                null,
                List.of(),
                new String[0]);
    }

    private static Watch rule(AlertRule r, CheckType type) {
        List<Condition> when = new ArrayList<>();
        Set<String> measured = new LinkedHashSet<>();
        for (YamlNode n : r.when()) {
            try {
                when.add(ConditionParser.parse(n.text(), type.placeholders()));
            } catch (ConditionSyntaxException e) {
                throw new IllegalStateException("rule " + r.name() + " passed validation with a bad condition", e);
            }
            Matcher m = PLACEHOLDER.matcher(n.text());
            while (m.find()) measured.add(m.group(1).toUpperCase(Locale.ROOT));
        }
        return new Watch(
                Watch.Kind.RULE,
                r.name(),
                Fingerprints.ofRule(r.name(), r.target()),
                r.targetService(),
                r.check(),
                AlertEvent.Severity.valueOf(r.severity()),
                r.forDuration().toMillis(),
                labels(r.name(), r.targetService(), r.check(), r.labels()),
                r.runbook(),
                r.dependencyAware(),
                r.summary(),
                r.description(),
                true,
                false,
                r.state(),
                List.copyOf(when),
                measured.toArray(String[]::new));
    }

    private static Map<String, String> labels(String name, String service, String check, Map<String, String> own) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("alertname", name);
        out.put("service", service);
        if (check != null) out.put("check", check);
        out.putAll(own);
        return CompactMap.copyOf(out); // two watches per check keep their labels while the check runs
    }
}
