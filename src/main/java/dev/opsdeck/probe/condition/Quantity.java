package dev.opsdeck.probe.condition;

import dev.opsdeck.config.Units;
import java.time.Duration;

/** A number with a unit from a literal such as {@code 800ms}, {@code 200MB} or {@code 85%}. */
record Quantity(double value, Unit unit) {
    enum Unit {
        MILLIS,
        BYTES,
        PERCENT
    }

    String format(double v) {
        return switch (unit) {
            case MILLIS -> Units.format(Duration.ofMillis((long) v));
            case BYTES -> Units.formatBytes(v);
            case PERCENT -> Values.number(v) + "%";
        };
    }
}
