package dev.opsdeck.config;

/** Incidents (config incidents:): response SLAs per severity and grouping. Filled in by the feature that reads it. */
public record IncidentsConfig() {
    public static final IncidentsConfig DEFAULTS = new IncidentsConfig();

    public static IncidentsConfig read(Fields f) {
        f.finish();
        return DEFAULTS;
    }
}
