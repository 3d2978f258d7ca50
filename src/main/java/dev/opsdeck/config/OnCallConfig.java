package dev.opsdeck.config;

import java.util.List;

/**
 * Who gets paged and when: {@code contacts:}, {@code rotations:}, {@code escalation_policies:} and
 * {@code maintenance:} windows.
 */
public record OnCallConfig() {
    public static final OnCallConfig NONE = new OnCallConfig();

    static OnCallConfig read(KeyedSections sections, List<ServiceDef> services, Problems problems) {
        return NONE;
    }
}
