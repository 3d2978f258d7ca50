package dev.opsdeck.config;

import java.time.Duration;

/**
 * {@code deploys:} the windows the change log is read with. {@code correlation_window}: how long before an incident
 * a deploy of its service is still named on its page and messages. {@code failure_window}: how long after a deploy an
 * incident on its service makes it a failed change in the DORA figures. {@code metrics_period}: the period the DORA
 * figures on {@code /metrics} cover (the API and CLI take their own period per request).
 */
public record DeploysConfig(Duration correlationWindow, Duration failureWindow, Duration metricsPeriod) {
    /** The longest correlation and failure window: a deploy older than that is history, not a suspect. */
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    /** The shortest and longest DORA period: whole days, at most a year (as {@code GET /api/v1/deploys/dora}). */
    public static final Duration MIN_PERIOD = Duration.ofDays(1), MAX_PERIOD = Duration.ofDays(365);

    public static final DeploysConfig DEFAULTS =
            new DeploysConfig(Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(30));

    public static DeploysConfig read(Fields f) {
        Duration correlation = window(f, "correlation_window", DEFAULTS.correlationWindow());
        Duration failure = window(f, "failure_window", DEFAULTS.failureWindow());
        Duration period = f.positiveDuration("metrics_period", DEFAULTS.metricsPeriod());
        if (period != null
                && (period.compareTo(MIN_PERIOD) < 0
                        || period.compareTo(MAX_PERIOD) > 0
                        || period.toMillis() % MIN_PERIOD.toMillis() != 0)) {
            f.problem("metrics_period", "expected whole days from 1d to 365d, got " + Units.format(period), "e.g. 30d");
            period = DEFAULTS.metricsPeriod();
        }
        f.finish();
        return new DeploysConfig(correlation, failure, period == null ? DEFAULTS.metricsPeriod() : period);
    }

    private static Duration window(Fields f, String key, Duration fallback) {
        Duration d = f.positiveDuration(key, fallback);
        if (d == null) return fallback;
        if (d.compareTo(MAX_WINDOW) > 0) {
            f.problem(key, "at most 7d, got " + Units.format(d), "e.g. 1h");
            return fallback;
        }
        return d;
    }
}
