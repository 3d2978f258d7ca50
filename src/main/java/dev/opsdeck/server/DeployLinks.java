package dev.opsdeck.server;

import dev.opsdeck.config.DeploysConfig;
import dev.opsdeck.deploy.Correlation;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.Dora;
import dev.opsdeck.deploy.DoraMetrics;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.incident.RecentChanges;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where deploys meet incidents: the {@link RecentChanges} the incidents name, and the DORA figures for /metrics,
 * both read through {@link Source} so that this sits on any deploy store. The incident package cannot read deploys
 * (it sits below them), so the link is made here, in the wiring.
 */
final class DeployLinks {
    /** The deploy records: every deploy requested in {@code [fromMs, toMs)}, in any order. */
    @FunctionalInterface
    interface Source {
        List<Deploy> requested(long fromMs, long toMs);
    }

    /**
     * How long before its window a deploy may have been requested and still matter: one under way when an incident
     * opened, or the failed change a deploy at the window's start reworks. Deploy runbooks time out long before.
     */
    static final Duration LOOK_BACK = Duration.ofDays(1);

    /** Incidents read for the figures, newest first: more than a month of them is not expected. */
    static final int MAX_INCIDENTS = 10_000;

    /** How old the DORA lines on /metrics may be. */
    static final Duration METRICS_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(DeployLinks.class);
    private final Source deploys;
    private final IncidentManager incidents;
    private final Clock clock;
    private final Supplier<DeploysConfig> windows;
    private String metricsText;
    private long metricsAtMs;

    DeployLinks(Source deploys, IncidentManager incidents, Clock clock) {
        this(deploys, incidents, clock, () -> DeploysConfig.DEFAULTS);
    }

    /** {@code windows}: the running configuration's {@code deploys:} windows, read at each use (a reload applies). */
    DeployLinks(Source deploys, IncidentManager incidents, Clock clock, Supplier<DeploysConfig> windows) {
        this.deploys = deploys;
        this.incidents = incidents;
        this.clock = clock;
        this.windows = windows;
    }

    /** The deploys named for an incident: those of its services in {@code deploys.correlation_window} before it. */
    RecentChanges recentChanges() {
        return (services, openedMs) -> {
            Duration window = windows.get().correlationWindow();
            return Correlation.lines(
                    deploys.requested(openedMs - window.toMillis() - LOOK_BACK.toMillis(), openedMs + 1),
                    services,
                    openedMs,
                    window);
        };
    }

    /** The DORA figures of the last {@code deploys.metrics_period}, up to now. */
    Dora.Result figures() {
        return figures(windows.get().metricsPeriod());
    }

    /** The DORA figures of the last {@code length}, up to now. */
    Dora.Result figures(Duration length) {
        long now = clock.millis();
        Dora.Window window = Dora.Window.last(length, now, windows.get().failureWindow());
        long from = window.fromMs() - LOOK_BACK.toMillis();
        return Dora.compute(deploys.requested(from, now + 1), incidentsSince(from), window);
    }

    /** The figures as /metrics lines. */
    String metrics() {
        return DoraMetrics.text(figures());
    }

    /**
     * {@link #metrics()} computed at most once per {@link #METRICS_EVERY}: the figures read a period of deploys and
     * incidents, and a scraper may ask every few seconds. If they cannot be read, the last lines stay (a scrape
     * must not fail because the deploy figures do).
     */
    synchronized String cachedMetrics() {
        long now = clock.millis();
        if (metricsText == null || now - metricsAtMs >= METRICS_EVERY.toMillis()) {
            try {
                metricsText = metrics();
            } catch (RuntimeException e) {
                LOG.warn("event=dora_metrics_failed error={}", e.toString());
                if (metricsText == null) metricsText = "";
            }
            metricsAtMs = now;
        }
        return metricsText;
    }

    /** The incidents opened since {@code fromMs}, each with its root cause and impacted services. */
    private List<Dora.Incident> incidentsSince(long fromMs) {
        List<Dora.Incident> out = new ArrayList<>();
        for (Incident i : incidents.list(new IncidentManager.Filter(null, null, null, MAX_INCIDENTS))) {
            if (i.openedMs() < fromMs) break; // newest first: the rest are older still
            Set<String> services = new HashSet<>(incidents.impacted(i.id()));
            if (i.service() != null) services.add(i.service()); // an incident from intake may name no service
            out.add(new Dora.Incident(String.valueOf(i.id()), services, i.openedMs(), i.resolvedMs()));
        }
        return out;
    }
}
