package dev.opsdeck.config;

import java.util.Set;

/**
 * {@code runtime:} how strict Opsdeck is about its own set-up. {@code production} refuses to start
 * until every item of the production checklist holds (see {@code opsdeck doctor}).
 */
public record RuntimeConfig(String profile) {
    public static final RuntimeConfig DEFAULTS = new RuntimeConfig("development");

    public boolean production() {
        return profile.equals("production");
    }

    public static RuntimeConfig read(Fields f) {
        String profile = f.oneOf("profile", "development", Set.of("development", "production"));
        f.finish();
        return new RuntimeConfig(profile);
    }
}
