package dev.opsdeck.config;

import java.util.List;

/** Executable runbooks ({@code runbooks:}) and what their steps reach: {@code inventory:} hosts, {@code datasources:}. */
public record RunbooksConfig() {
    public static final RunbooksConfig NONE = new RunbooksConfig();

    static RunbooksConfig read(KeyedSections sections, List<ServiceDef> services, Problems problems) {
        return NONE;
    }
}
