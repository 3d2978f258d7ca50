package dev.opsdeck.config;

import java.util.List;

/** Keeping the data safe: {@code schedules:}, {@code backups:} targets and restore {@code drills:}. */
public record KeepConfig() {
    public static final KeepConfig NONE = new KeepConfig();

    static KeepConfig read(KeyedSections sections, List<ServiceDef> services, RunbooksConfig runbooks,
                           Problems problems) {
        return NONE;
    }
}
