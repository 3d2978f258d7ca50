package dev.opsdeck.config;

import java.time.Duration;

/**
 * {@code monitoring:} defaults for checks, history retention and flapping detection.
 * Defaults follow the rollup tiers users know from Uptime Kuma (minutely 24 h, hourly 30 d,
 * daily ~1 year) with raw results kept 48 h.
 */
public record MonitoringConfig(
        Duration defaultInterval,
        Duration defaultTimeout,
        Duration rawRetention,
        Duration minuteRetention,
        Duration hourRetention,
        Duration dayRetention,
        Duration flapWindow,
        int flapChanges,
        double jitter) {
    public static final MonitoringConfig DEFAULTS = new MonitoringConfig(
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofHours(48),
            Duration.ofHours(24),
            Duration.ofDays(30),
            Duration.ofDays(400),
            Duration.ofMinutes(10),
            5,
            1.0);

    public static MonitoringConfig read(Fields f) {
        MonitoringConfig d = DEFAULTS;
        Fields defaults = f.child("defaults");
        Duration interval = defaults.duration("interval", d.defaultInterval);
        Duration timeout = defaults.duration("timeout", d.defaultTimeout);
        defaults.finish();
        Fields history = f.child("history");
        Duration raw = history.duration("raw", d.rawRetention);
        Duration minute = history.duration("minute", d.minuteRetention);
        Duration hour = history.duration("hour", d.hourRetention);
        Duration day = history.duration("day", d.dayRetention);
        history.finish();
        Fields flapping = f.child("flapping");
        Duration window = flapping.duration("window", d.flapWindow);
        int changes = flapping.integer("changes", d.flapChanges, 2, 1000);
        flapping.finish();
        Double jitter = d.jitter;
        if (f.has("jitter")) {
            jitter = Units.percent(f.string("jitter", "100%"));
            if (jitter == null || jitter > 100) {
                f.problems().add(f.positionOf("jitter"), "monitoring.jitter: expected a percentage up to 100%");
                jitter = d.jitter * 100;
            }
            jitter = jitter / 100.0;
        }
        f.finish();
        return new MonitoringConfig(interval, timeout, raw, minute, hour, day, window, changes, jitter);
    }
}
