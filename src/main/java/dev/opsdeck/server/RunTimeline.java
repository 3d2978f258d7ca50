package dev.opsdeck.server;

import dev.opsdeck.config.Units;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.runbook.Run;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts a run linked to an incident on that incident's timeline: when it starts and how it ended. */
final class RunTimeline {
    private static final Logger LOG = LoggerFactory.getLogger(RunTimeline.class);

    private RunTimeline() {}

    static void note(IncidentManager incidents, Run run) {
        if (run.incidentId() == null) return;
        String text = switch (run.status()) {
            case QUEUED, RUNNING ->
                "Runbook " + run.runbookId() + " run " + run.id() + " started by " + run.startedBy();
            case WAITING_APPROVAL -> null;
            default ->
                "Runbook " + run.runbookId() + " run " + run.id() + " "
                        + run.status().label()
                        + (run.durationMs() == null
                                ? ""
                                : " after "
                                        + Units.format(Duration.ofMillis(run.durationMs())
                                                .withNanos(0)))
                        + (run.targetMs() == null
                                ? ""
                                : " (RTO " + Units.format(Duration.ofMillis(run.targetMs())) + ")")
                        + (run.message() == null ? "" : ": " + run.message());
        };
        if (text == null) return;
        try {
            incidents.note(run.incidentId(), "runbook:" + run.runbookId(), text);
        } catch (RuntimeException e) {
            LOG.warn(
                    "event=run_timeline_failed run={} incident={} error=\"{}\"",
                    run.id(),
                    run.incidentId(),
                    e.toString());
        }
    }
}
