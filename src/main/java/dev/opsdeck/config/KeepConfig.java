package dev.opsdeck.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Keeping the data safe: {@code schedules:}, {@code backups:} targets and restore {@code drills:}. */
public record KeepConfig(Map<String, BackupDef> backups, Map<String, DrillDef> drills) {
    public static final KeepConfig NONE = new KeepConfig(Map.of(), Map.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    static KeepConfig read(KeyedSections sections, List<ServiceDef> services, RunbooksConfig runbooks,
                           Problems problems) {
        Map<String, BackupDef> backups = new LinkedHashMap<>();
        sections.of("backups").forEach((key, node) -> {
            // the name becomes part of file names and S3 keys: no dots or slashes
            if (!NAME.matcher(key.name()).matches()) {
                problems.add(key.position(), "backup name '" + key.name() + "' is not allowed",
                        "use letters, digits, '_' or '-', starting with a letter or digit");
            }
            backups.put(key.name(), BackupDef.read(key, node, problems));
        });
        Map<String, DrillDef> drills = new LinkedHashMap<>();
        sections.of("drills").forEach((key, node) -> drills.put(key.name(), DrillDef.read(key, node, backups, problems)));
        return backups.isEmpty() && drills.isEmpty() ? NONE : new KeepConfig(java.util.Collections.unmodifiableMap(backups),
                java.util.Collections.unmodifiableMap(drills));
    }
}
