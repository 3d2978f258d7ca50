package dev.opsdeck.config;

import java.time.Duration;
import java.util.TreeSet;

/**
 * {@code alerts.defaults:} how every check alerts on its own state, unless its {@code alert:} key says
 * otherwise. A check that goes down pages at once by default: the check's {@code failure_threshold} already
 * says how many failures make "down", so a second delay here would only hide it.
 *
 * @param dependencyWait how long a dependency-aware alert of a service with dependencies waits for one of them
 *                       to be found down before it pages on its own; null: worked out from the dependencies' checks
 */
public record AlertDefaults(
        boolean onDown,
        boolean onDegraded,
        String severity,
        Duration forDuration,
        boolean dependencyAware,
        Duration dependencyWait) {
    public static final AlertDefaults DEFAULTS = new AlertDefaults(true, false, "P2", Duration.ZERO, true, null);
    /** The longest a worked-out dependency wait gets: a page held longer than this would be late in its own right. */
    public static final Duration MAX_AUTO_DEPENDENCY_WAIT = Duration.ofMinutes(2);

    static AlertDefaults read(Fields f) {
        AlertDefaults d = DEFAULTS;
        boolean onDown = f.bool("on_down", d.onDown);
        boolean onDegraded = f.bool("on_degraded", d.onDegraded);
        String severity = severity(f, d.severity);
        Duration forDuration = forDuration(f, d.forDuration);
        boolean dependencyAware = f.bool("dependency_aware", d.dependencyAware);
        Duration dependencyWait = d.dependencyWait;
        String wait = f.string("dependency_wait", "auto");
        if (!wait.equals("auto")) {
            dependencyWait = Units.duration(wait);
            if (dependencyWait == null || dependencyWait.isNegative()) {
                f.problems()
                        .add(
                                f.positionOf("dependency_wait"),
                                "alerts.defaults.dependency_wait: expected auto or a" + " duration, got \"" + wait
                                        + "\"",
                                "auto (worked out from the dependencies' checks), 0s (never"
                                        + " wait) or a duration such as 30s");
                dependencyWait = d.dependencyWait;
            }
        }
        f.finish();
        return new AlertDefaults(onDown, onDegraded, severity, forDuration, dependencyAware, dependencyWait);
    }

    /** {@code severity:} P1..P4, the seed's classification. */
    static String severity(Fields f, String fallback) {
        return f.oneOf("severity", fallback, new TreeSet<>(AlertsConfig.SEVERITIES));
    }

    /** {@code for:} how long a condition must hold before the alert fires; zero or more. */
    static Duration forDuration(Fields f, Duration fallback) {
        Duration d = f.duration("for", fallback);
        if (d.isNegative()) {
            f.problem("for", "must not be negative");
            return fallback;
        }
        return d;
    }
}
