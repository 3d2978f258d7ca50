package dev.opsdeck.config;

import java.time.Duration;

/**
 * {@code auth:} password policy, login lockout, dashboard sessions and API-key hygiene.
 * Lockout is on by default: 5 failures within 15 minutes lock the account and the source for 15 minutes.
 */
public record AuthConfig(
        int passwordMinLength,
        Lockout lockout,
        Duration sessionIdle,
        Duration sessionAbsolute,
        Duration apiKeyUnusedAfter,
        boolean publicMetrics) {
    public record Lockout(boolean enabled, int maxFailures, Duration window, Duration duration) {}

    public static final AuthConfig DEFAULTS = new AuthConfig(
            12,
            new Lockout(true, 5, Duration.ofMinutes(15), Duration.ofMinutes(15)),
            Duration.ofMinutes(30),
            Duration.ofHours(12),
            Duration.ofDays(30),
            true);

    public static AuthConfig read(Fields f) {
        AuthConfig d = DEFAULTS;
        int minLength = f.integer("password_min_length", d.passwordMinLength, 8, 128);
        Fields l = f.child("lockout");
        Lockout lockout = new Lockout(
                l.bool("enabled", d.lockout.enabled),
                l.integer("max_failures", d.lockout.maxFailures, 1, 100),
                l.positiveDuration("window", d.lockout.window),
                l.positiveDuration("duration", d.lockout.duration));
        l.finish();
        Fields s = f.child("session");
        Duration idle = s.positiveDuration("idle_timeout", d.sessionIdle);
        Duration absolute = s.positiveDuration("absolute_timeout", d.sessionAbsolute);
        s.finish();
        if (absolute.compareTo(idle) < 0) {
            f.problems()
                    .add(
                            f.positionOf("session"),
                            "auth.session: absolute_timeout is shorter than idle_timeout",
                            "the absolute limit must be at least the idle limit");
        }
        Fields k = f.child("api_keys");
        Duration unused = k.positiveDuration("unused_after", d.apiKeyUnusedAfter);
        k.finish();
        boolean publicMetrics = f.bool("public_metrics", d.publicMetrics);
        f.finish();
        return new AuthConfig(minLength, lockout, idle, absolute, unused, publicMetrics);
    }
}
