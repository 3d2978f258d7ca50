package dev.opsdeck.config;

/** Alert rules (config alerts:): which checks page, explicit rules on values and states. Filled in by the feature that reads it. */
public record AlertsConfig() {
    public static final AlertsConfig DEFAULTS = new AlertsConfig();

    public static AlertsConfig read(Fields f) {
        f.finish();
        return DEFAULTS;
    }
}
