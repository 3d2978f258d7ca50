package dev.opsdeck.server;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.AlertsConfig;
import dev.opsdeck.config.AutoRun;
import dev.opsdeck.config.CheckAlert;
import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.RunRefused;
import dev.opsdeck.runbook.Runbooks;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert engine's sink: hands every event to the incident manager, then starts the runbook of an alert that
 * opted in ({@code auto_run: true}) when it fires and pages — not while pending (the engine only tells firing
 * alerts), not when silenced, in maintenance or waiting on its root cause (the event is suppressed), and once
 * per incident: a re-fire grouped into the same incident finds the run it already started. Lives here so that
 * neither runbooks nor alerts and incidents know of each other.
 */
final class AutoRuns implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(AutoRuns.class);

    private final IncidentManager incidents;
    private final Supplier<OpsdeckConfig> config;
    private volatile Runbooks runbooks;

    AutoRuns(IncidentManager incidents, Supplier<OpsdeckConfig> config) {
        this.incidents = incidents;
        this.config = config;
    }

    /** The runbook service, made after the alert engine; events before this only reach the incidents. */
    void use(Runbooks runbooks) {
        this.runbooks = runbooks;
    }

    @Override
    public void accept(AlertEvent event) {
        // through the incident manager's group commit (it logs a failed write itself and never throws)
        Long incident = incidents.acceptInto(event);
        if (event.state() != AlertEvent.State.FIRING || event.suppressed() || !"rule".equals(event.source())) return;
        AutoRun auto = autoRunOf(event);
        Runbooks service = runbooks;
        // no incident (its write failed): no run either, since the once-per-incident guard could not hold
        if (auto == null || service == null || incident == null) return;
        start(service, auto, event, incident);
    }

    /** One start at a time, so that two events of one incident cannot both find no run yet. */
    private synchronized void start(Runbooks service, AutoRun auto, AlertEvent event, Long incidentId) {
        String actor = "alert:" + event.name();
        try {
            if (incidentId != null && service.startedFor(auto.runbook(), incidentId, actor)) {
                LOG.info(
                        "event=runbook_auto_run_skipped alert=\"{}\" runbook={} incident={} reason=already_started",
                        event.name(),
                        auto.runbook(),
                        incidentId);
                return;
            }
            Run run = service.start(auto.runbook(), auto.params(event.labels()), actor, incidentId);
            LOG.info(
                    "event=runbook_auto_run alert=\"{}\" runbook={} run={} incident={}",
                    event.name(),
                    auto.runbook(),
                    run.id(),
                    incidentId);
        } catch (RunRefused e) {
            LOG.warn(
                    "event=runbook_auto_run_refused alert=\"{}\" runbook={} reason=\"{}\"",
                    event.name(),
                    auto.runbook(),
                    e.getMessage());
            if (incidentId != null) {
                try {
                    incidents.note(
                            incidentId,
                            "runbook:" + auto.runbook(),
                            "Runbook " + auto.runbook() + " was not started for alert " + event.name() + ": "
                                    + e.getMessage());
                } catch (RuntimeException again) {
                    LOG.warn("event=run_timeline_failed incident={} error=\"{}\"", incidentId, again.toString());
                }
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "event=runbook_auto_run_failed alert=\"{}\" runbook={} error=\"{}\"",
                    event.name(),
                    auto.runbook(),
                    e.toString());
        }
    }

    /** The rule's auto_run, or the check's own alert's (its down/degraded alert is named after the check). */
    private AutoRun autoRunOf(AlertEvent event) {
        OpsdeckConfig c = config.get();
        AlertsConfig alerts = c.paging().alerts();
        var rule = alerts.rules().get(event.name());
        if (rule != null) return rule.autoRun();
        String check = event.labels() == null ? null : event.labels().get("check");
        if (check == null || !check.equals(event.name())) return null; // e.g. the "flapping" alert
        for (ServiceDef s : c.services()) {
            for (CheckDef d : s.checks()) {
                if (d.id().equals(check))
                    return CheckAlert.read(d, alerts.defaults(), new Problems()).autoRun();
            }
        }
        return null;
    }
}
