package dev.opsdeck.alert;

import dev.opsdeck.config.AlertTemplate;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import dev.opsdeck.probe.condition.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an alert says when it fires: {@code {{value}}}, {@code {{message}}}, and its summary and description. */
final class AlertText {
    private AlertText() {}

    /** Values reported in milliseconds that read better as durations. */
    private static final List<String> DURATIONS = List.of("RESPONSE_TIME", "CERTIFICATE_EXPIRATION");

    record Rendered(String value, String summary, String description) {}

    static Rendered render(Watch w, String checkId, CheckResult result, Status status, Observation observation) {
        String value = value(w, result, status);
        String message = message(w, result, observation);
        Map<String, String> fields = Map.of(
                "service",
                w.service,
                "check",
                checkId,
                "value",
                value,
                "message",
                message,
                "severity",
                w.severity.name());
        String summary = w.summary != null
                ? AlertTemplate.render(w.summary, fields)
                : switch (w.kind) {
                    case CHECK -> checkId + " is " + value + ": " + message;
                    case FLAPPING -> checkId + " is flapping: " + message;
                    case RULE -> w.name + " on " + (w.checkId != null ? w.checkId : w.service) + ": " + message;
                };
        String description = w.description != null ? AlertTemplate.render(w.description, fields) : null;
        return new Rendered(value, summary, description);
    }

    /** The measured value of the first condition's placeholder; otherwise the state that fired the alert. */
    private static String value(Watch w, CheckResult result, Status status) {
        if (w.kind == Watch.Kind.FLAPPING || "flapping".equals(w.state)) return "flapping";
        if (w.measured.length == 0) return status.label();
        Object v = result.values().get(w.measured[0]);
        if (v instanceof Number n && DURATIONS.contains(w.measured[0]))
            return Units.format(Duration.ofMillis(n.longValue()));
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf(d.longValue());
        return String.valueOf(v);
    }

    /** Why it fired: the holding conditions (e.g. {@code [VALUE]: 420 > 300}), or the check's own message. */
    private static String message(Watch w, CheckResult result, Observation observation) {
        if (w.when.isEmpty() || observation == null) return result.message() == null ? "" : result.message();
        List<String> out = new ArrayList<>();
        for (Condition c : w.when) out.add(c.evaluate(observation).message());
        return String.join("; ", out);
    }
}
