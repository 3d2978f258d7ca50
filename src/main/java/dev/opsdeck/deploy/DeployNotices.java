package dev.opsdeck.deploy;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.DeployDef;
import dev.opsdeck.notify.Notifier;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the end of a deploy is told: to the service's deploy channels (through the outbox, so a receiver that hangs
 * never holds a deploy up), and as a page: P1 when a rollback failed, P2 when a failure waits for a person; a
 * success resolves both.
 */
final class DeployNotices {
    private static final Logger LOG = LoggerFactory.getLogger(DeployNotices.class);
    static final String ALERT_FAILED = "DeployFailed", ALERT_ROLLBACK_FAILED = "DeployRollbackFailed";

    private final AlertSink sink;
    private final Notifier notifier;
    private final Clock clock;

    /** Either may be null: nothing is told there. */
    DeployNotices(AlertSink sink, Notifier notifier, Clock clock) {
        this.sink = sink;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Logs the end, tells the channels, and pages: P1 when a rollback failed, P2 when a failure waits. */
    void ended(Deploy d, DeployDef def, String outcome) {
        LOG.info(
                "event=deploy_ended deploy={} service={} version={} state={}",
                d.id(),
                d.service(),
                d.version(),
                d.state().label());
        if (d.state() == DeployState.CANCELLED) return;
        announce(d, def, outcome);
        if (sink == null) return;
        try {
            if (d.state() == DeployState.SUCCEEDED) { // the service runs a good version again: both pages end
                sink.accept(page(d, ALERT_FAILED, AlertEvent.State.RESOLVED, AlertEvent.Severity.P2, outcome));
                sink.accept(page(d, ALERT_ROLLBACK_FAILED, AlertEvent.State.RESOLVED, AlertEvent.Severity.P1, outcome));
            } else if (d.state() == DeployState.ROLLBACK_FAILED) {
                sink.accept(page(d, ALERT_ROLLBACK_FAILED, AlertEvent.State.FIRING, AlertEvent.Severity.P1, outcome));
            } else if (d.state() == DeployState.FAILED) {
                sink.accept(page(d, ALERT_FAILED, AlertEvent.State.FIRING, AlertEvent.Severity.P2, outcome));
            }
        } catch (RuntimeException e) {
            LOG.warn("event=deploy_page_failed deploy={} error=\"{}\"", d.id(), e.toString());
        }
    }

    private void announce(Deploy d, DeployDef def, String outcome) {
        if (notifier == null) return;
        String template = d.state() == DeployState.SUCCEEDED ? "deploy.succeeded" : "deploy.failed";
        for (String channel : def.channels()) {
            try {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("service", d.service());
                fields.put("version", d.version());
                fields.put("previous_version", d.previousVersion() == null ? "none" : d.previousVersion());
                fields.put("environment", d.environment());
                fields.put("status", d.state().label());
                fields.put("summary", outcome);
                fields.put("actor", d.actor());
                fields.put("deploy_id", d.id());
                notifier.enqueue(
                        channel, "deploy-" + d.id() + "-" + d.state().label() + "-" + channel, template, fields);
            } catch (RuntimeException e) {
                LOG.warn("event=deploy_notify_failed deploy={} channel={} error=\"{}\"", d.id(), channel, e.toString());
            }
        }
    }

    private AlertEvent page(
            Deploy d, String name, AlertEvent.State state, AlertEvent.Severity severity, String outcome) {
        String summary = state == AlertEvent.State.RESOLVED
                ? "deploy of " + d.service() + " " + d.version() + " succeeded"
                : "deploy of " + d.service() + " " + d.version() + " "
                        + d.state().label() + ": " + outcome;
        return new AlertEvent(
                "deploy/" + d.service() + "/" + name,
                "deploy",
                name,
                state,
                severity,
                d.service(),
                null,
                List.of(),
                false,
                Map.of("service", d.service(), "deploy", d.id(), "version", d.version()),
                summary,
                d.state() == DeployState.ROLLBACK_FAILED
                        ? "the service may run neither version; see opsdeck deploy show " + d.id()
                        : "decide: opsdeck deploy rollback " + d.service() + " (opsdeck deploy show " + d.id() + ")",
                null,
                clock.instant(),
                null);
    }
}
