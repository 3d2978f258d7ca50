package dev.opsdeck.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The DORA figures in the Prometheus text format, for {@code /metrics}: one gauge per figure, a series per service
 * (label {@code service}) and one without the label for all services together. Written as text from a computed
 * {@link Dora.Result} rather than as meters kept up to date, because the figures are recomputed as a whole (a
 * deploy or an incident can move every figure of its service) and a service without deploys must simply vanish.
 * A figure with nothing to measure (no deploys, no commit times) reads NaN, as Prometheus expects.
 */
public final class DoraMetrics {
    private record Gauge(String name, String help, Function<Dora.Figures, Double> value) {}

    private static final List<Gauge> GAUGES = List.of(
            new Gauge(
                    "opsdeck_deploys_in_window",
                    "Finished deploys (cancelled ones left out) that ended in the DORA window",
                    f -> (double) f.deploys()),
            new Gauge("opsdeck_deploys_in_flight", "Deploys pending, running or verifying", f -> (double) f.inFlight()),
            new Gauge(
                    "opsdeck_deploy_frequency_per_day",
                    "Succeeded deploys per day over the DORA window",
                    Dora.Figures::perDay),
            new Gauge(
                    "opsdeck_deploy_lead_time_median_seconds",
                    "Median time from commit to succeeded deploy",
                    f -> seconds(f.leadTime().medianMs())),
            new Gauge(
                    "opsdeck_deploy_lead_time_p90_seconds",
                    "90th percentile of the time from commit to succeeded deploy",
                    f -> seconds(f.leadTime().p90Ms())),
            new Gauge(
                    "opsdeck_deploy_change_failure_ratio",
                    "Share of the deploys in the window that were failed changes",
                    Dora.Figures::changeFailureRate),
            new Gauge(
                    "opsdeck_deploy_recovery_median_seconds",
                    "Median failed-deploy recovery time",
                    f -> seconds(f.recovery().medianMs())),
            new Gauge(
                    "opsdeck_deploy_recovery_p90_seconds",
                    "90th percentile of the failed-deploy recovery time",
                    f -> seconds(f.recovery().p90Ms())),
            new Gauge(
                    "opsdeck_deploy_rework_ratio",
                    "Share of the deploys in the window that followed a failed change of their service",
                    Dora.Figures::reworkRate));

    private DoraMetrics() {}

    /** The exposition lines of {@code result}: HELP, TYPE and the series of each gauge, the window's length first. */
    public static List<String> lines(Dora.Result result) {
        List<String> out = new ArrayList<>();
        Dora.Window w = result.window();
        header(out, "opsdeck_deploy_window_seconds", "Length of the window the DORA figures cover");
        out.add("opsdeck_deploy_window_seconds " + number((w.toMs() - w.fromMs()) / 1000.0));
        header(out, "opsdeck_deploy_failure_window_seconds", "How long after a deploy an incident counts against it");
        out.add("opsdeck_deploy_failure_window_seconds "
                + number(w.failureWindow().toMillis() / 1000.0));
        for (Gauge g : GAUGES) {
            header(out, g.name(), g.help());
            out.add(g.name() + " " + number(g.value().apply(result.overall())));
            for (Map.Entry<String, Dora.Figures> e : result.byService().entrySet())
                out.add(g.name() + "{service=\"" + escape(e.getKey()) + "\"} "
                        + number(g.value().apply(e.getValue())));
        }
        return out;
    }

    /** The lines as one text, each ended by a newline, ready to follow the rest of a scrape. */
    public static String text(Dora.Result result) {
        return String.join("\n", lines(result)) + "\n";
    }

    private static void header(List<String> out, String name, String help) {
        out.add("# HELP " + name + " " + help);
        out.add("# TYPE " + name + " gauge");
    }

    private static Double seconds(Long ms) {
        return ms == null ? null : ms / 1000.0;
    }

    /** A sample value: NaN for none, whole numbers without a fraction, others as Java writes doubles. */
    static String number(Double v) {
        if (v == null || v.isNaN()) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString(v.longValue());
        return Double.toString(v);
    }

    /** Label values escape backslash, double quote and newline (the text format's only escapes). */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
