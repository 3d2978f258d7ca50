package dev.opsdeck.probe;

import java.time.Instant;
import java.util.Map;

/**
 * The verdict of one probe run: status, how long it took, a message that says exactly what
 * failed (or what was measured), and the measured values worth keeping (numbers and short text).
 */
public record CheckResult(Status status, Instant at, long latencyMillis, String message, Map<String, Object> values) {
    public static CheckResult down(Instant at, long latencyMillis, String message) {
        return new CheckResult(Status.DOWN, at, latencyMillis, message, Map.of());
    }
}
