package dev.opsdeck.config;

/** Alert intake integrations (config integrations:): per-integration tokens. Filled in by the feature that reads it. */
public record IntegrationsConfig() {
    public static final IntegrationsConfig DEFAULTS = new IntegrationsConfig();

    public static IntegrationsConfig read(Fields f) {
        f.finish();
        return DEFAULTS;
    }
}
