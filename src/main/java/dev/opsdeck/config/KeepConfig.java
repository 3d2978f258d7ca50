package dev.opsdeck.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Keeping the data safe: {@code schedules:}, {@code backups:} targets and restore {@code drills:}. */
public record KeepConfig(
        Map<String, BackupDef> backups, Map<String, DrillDef> drills, Map<String, ScheduleDef> schedules) {
    public static final KeepConfig NONE = new KeepConfig(Map.of(), Map.of(), Map.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    public KeepConfig(Map<String, BackupDef> backups) {
        this(backups, Map.of(), Map.of());
    }

    static KeepConfig read(
            KeyedSections sections, List<ServiceDef> services, RunbooksConfig runbooks, Problems problems) {
        Map<String, BackupDef> backups = new LinkedHashMap<>();
        sections.of("backups").forEach((key, node) -> {
            // the name becomes part of file names and S3 keys: no dots or slashes
            if (!NAME.matcher(key.name()).matches()) {
                problems.add(
                        key.position(),
                        "backup name '" + key.name() + "' is not allowed",
                        "use letters, digits, '_' or '-', starting with a letter or digit");
            }
            backups.put(key.name(), BackupDef.read(key, node, problems));
        });
        Map<String, DrillDef> drills = new LinkedHashMap<>();
        sections.of("drills")
                .forEach((key, node) -> drills.put(key.name(), DrillDef.read(key, node, backups, problems)));
        Map<String, ScheduleDef> schedules =
                schedules(sections, services, runbooks, backups.keySet(), drills.keySet(), problems);
        return backups.isEmpty() && drills.isEmpty() && schedules.isEmpty()
                ? NONE
                : new KeepConfig(
                        Collections.unmodifiableMap(backups),
                        Collections.unmodifiableMap(drills),
                        Collections.unmodifiableMap(schedules));
    }

    /** Schedules name runbooks, backups, drills and checks: each reference is checked against the loaded config. */
    private static Map<String, ScheduleDef> schedules(
            KeyedSections sections,
            List<ServiceDef> services,
            RunbooksConfig runbooks,
            Set<String> backups,
            Set<String> drills,
            Problems problems) {
        Set<String> checks = new LinkedHashSet<>();
        services.forEach(s -> s.checks().forEach(c -> checks.add(c.id())));
        var known = new ScheduleDef.Known(runbooks.runbooks().keySet(), runbooks.runbooks(), backups, drills, checks);
        Map<String, ScheduleDef> schedules = new LinkedHashMap<>();
        sections.of("schedules").forEach((key, node) -> {
            // the name is a metric label and part of URLs: the same rule as backup names
            if (!NAME.matcher(key.name()).matches()) {
                problems.add(
                        key.position(),
                        "schedule name '" + key.name() + "' is not allowed",
                        "use letters, digits, '_' or '-', starting with a letter or digit");
            }
            schedules.put(key.name(), ScheduleDef.read(key, node, known, problems));
        });
        return schedules;
    }
}
