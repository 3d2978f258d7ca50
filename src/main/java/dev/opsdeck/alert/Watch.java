package dev.opsdeck.alert;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import dev.opsdeck.probe.condition.Condition;
import java.util.List;
import java.util.Map;

/**
 * One alert definition bound to its target, compiled once per configuration: a check's own alert, its
 * flapping alert, or a rule. {@link #verdict} is the hot path: it allocates nothing unless the rule has
 * {@code when} conditions, and then only for the result it reads.
 */
final class Watch {
    enum Kind {
        CHECK,
        FLAPPING,
        RULE
    }

    /** What a result says about the alert's condition. */
    enum Verdict {
        HOLDS,
        CLEAR,
        /** No verdict (no state yet, or the value was not measured): leave the alert as it is. */
        KEEP,
        /** The target flaps: the flapping alert speaks for it, so nothing new starts and nothing firing ends. */
        FROZEN
    }

    final Kind kind;
    final String name;
    final String fingerprint;
    final String service;
    final String checkId; // null for a service rule
    final AlertEvent.Severity severity;
    final long forMs;
    final Map<String, String> labels;
    final String runbook;
    final boolean dependencyAware;
    final String summary;
    final String description;
    final boolean onDown;
    final boolean onDegraded;
    final String state; // rules: down, degraded, flapping or null
    final List<Condition> when;
    final String[] measured; // placeholder names the conditions read

    Watch(
            Kind kind,
            String name,
            String fingerprint,
            String service,
            String checkId,
            AlertEvent.Severity severity,
            long forMs,
            Map<String, String> labels,
            String runbook,
            boolean dependencyAware,
            String summary,
            String description,
            boolean onDown,
            boolean onDegraded,
            String state,
            List<Condition> when,
            String[] measured) {
        this.kind = kind;
        this.name = name;
        this.fingerprint = fingerprint;
        this.service = service;
        this.checkId = checkId;
        this.severity = severity;
        this.forMs = forMs;
        this.labels = labels;
        this.runbook = runbook;
        this.dependencyAware = dependencyAware;
        this.summary = summary;
        this.description = description;
        this.onDown = onDown;
        this.onDegraded = onDegraded;
        this.state = state;
        this.when = when;
        this.measured = measured;
    }

    /**
     * Judges the alert's condition. {@code status} and {@code flapping} are the check's, or for a service rule
     * the service's (worst known status of its checks; any of them flapping).
     */
    Verdict verdict(CheckResult result, Status status, boolean flapping, Observation observation) {
        switch (kind) {
            case FLAPPING:
                return flapping ? Verdict.HOLDS : Verdict.CLEAR;
            case CHECK:
                if (status == Status.UNKNOWN) return Verdict.KEEP;
                if (flapping) return Verdict.FROZEN;
                return status == Status.DOWN && onDown || status == Status.DEGRADED && onDegraded
                        ? Verdict.HOLDS
                        : Verdict.CLEAR;
            default:
                break;
        }
        boolean holds = true;
        if (state != null) {
            if (state.equals("flapping")) {
                holds = flapping;
            } else {
                if (status == Status.UNKNOWN) return Verdict.KEEP;
                if (flapping) return Verdict.FROZEN;
                holds = status == Status.DOWN || state.equals("degraded") && status == Status.DEGRADED;
            }
        }
        if (!when.isEmpty()) {
            Map<String, Object> values = result.values();
            for (String name : measured) {
                if (!values.containsKey(name)) return holds ? Verdict.KEEP : Verdict.CLEAR;
            }
            for (Condition c : when) {
                if (!holds) break;
                holds = c.evaluate(observation).holds();
            }
        }
        return holds ? Verdict.HOLDS : Verdict.CLEAR;
    }

    boolean needsObservation() {
        return !when.isEmpty();
    }
}
