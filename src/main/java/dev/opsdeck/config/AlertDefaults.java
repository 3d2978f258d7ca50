package dev.opsdeck.config;

import java.time.Duration;

/**
 * {@code alerts.defaults:} how every check alerts on its own state, unless its {@code alert:} key says
 * otherwise. A check that goes down pages at once by default: the check's {@code failure_threshold} already
 * says how many failures make "down", so a second delay here would only hide it.
 */
public record AlertDefaults(boolean onDown, boolean onDegraded, String severity, Duration forDuration,
                            boolean dependencyAware) {
    public static final AlertDefaults DEFAULTS = new AlertDefaults(true, false, "P2", Duration.ZERO, true);

    static AlertDefaults read(Fields f) {
        AlertDefaults d = DEFAULTS;
        boolean onDown = f.bool("on_down", d.onDown);
        boolean onDegraded = f.bool("on_degraded", d.onDegraded);
        String severity = severity(f, d.severity);
        Duration forDuration = forDuration(f, d.forDuration);
        boolean dependencyAware = f.bool("dependency_aware", d.dependencyAware);
        f.finish();
        return new AlertDefaults(onDown, onDegraded, severity, forDuration, dependencyAware);
    }

    /** {@code severity:} P1..P4, the seed's classification. */
    static String severity(Fields f, String fallback) {
        return f.oneOf("severity", fallback, new java.util.TreeSet<>(AlertsConfig.SEVERITIES));
    }

    /** {@code for:} how long a condition must hold before the alert fires; zero or more. */
    static Duration forDuration(Fields f, Duration fallback) {
        Duration d = f.duration("for", fallback);
        if (d.isNegative()) {
            f.problems().add(f.positionOf("for"), f.section() + ".for: must not be negative");
            return fallback;
        }
        return d;
    }
}
