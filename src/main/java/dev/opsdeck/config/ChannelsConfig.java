package dev.opsdeck.config;

/** Notification channels (config channels:): webhook, Slack, email. Filled in by the feature that reads it. */
public record ChannelsConfig() {
    public static final ChannelsConfig DEFAULTS = new ChannelsConfig();

    public static ChannelsConfig read(Fields f) {
        f.finish();
        return DEFAULTS;
    }
}
