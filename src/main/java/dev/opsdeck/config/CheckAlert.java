package dev.opsdeck.config;

import java.time.Duration;
import java.util.Map;

/**
 * How one check alerts on its own state: {@code alerts.defaults} overridden by the check's {@code alert:} key
 * ({@code severity}, {@code on_degraded}, {@code for}, {@code runbook}, {@code labels}, {@code enabled}).
 * A check alerts when it is down (if {@code alerts.defaults.on_down}) or degraded (if {@code on_degraded}), and
 * once, instead, while it flaps. {@code autoRun} (null unless {@code auto_run: true}) starts the runbook when the
 * down/degraded alert fires, not the flapping one.
 */
public record CheckAlert(
        boolean enabled,
        boolean onDown,
        boolean onDegraded,
        String severity,
        Duration forDuration,
        String runbook,
        AutoRun autoRun,
        Map<String, String> labels,
        boolean dependencyAware) {

    /** Reads {@code def}'s {@code alert:} key over {@code defaults}, reporting problems with positions. */
    public static CheckAlert read(CheckDef def, AlertDefaults defaults, Problems problems) {
        YamlNode node =
                def.spec() == null || !def.spec().isMap() ? null : def.spec().get("alert");
        Fields f = new Fields(node, "services." + def.service() + ".checks." + def.name() + ".alert", problems);
        boolean enabled = f.bool("enabled", true);
        boolean onDegraded = f.bool("on_degraded", defaults.onDegraded());
        String severity = AlertDefaults.severity(f, defaults.severity());
        Duration forDuration = AlertDefaults.forDuration(f, defaults.forDuration());
        String runbook = AlertRule.runbook(f);
        Map<String, String> labels = AlertRule.labels(f);
        AutoRun autoRun = AutoRun.read(f, runbook, AutoRun.labelsOf(true, labels));
        f.finish();
        return new CheckAlert(
                enabled && (defaults.onDown() || onDegraded),
                defaults.onDown(),
                onDegraded,
                severity,
                forDuration,
                runbook,
                autoRun,
                labels,
                defaults.dependencyAware());
    }
}
