package dev.opsdeck.probe;

import java.util.Locale;

/** The state of a check or service. Ordered from best to worst, so "worst of" is a max. */
public enum Status {
    UP,
    DEGRADED,
    DOWN,
    UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Severity for "worst of": unknown ranks between degraded and down. */
    public int severity() {
        return switch (this) {
            case UP -> 0;
            case DEGRADED -> 1;
            case UNKNOWN -> 2;
            case DOWN -> 3;
        };
    }

    public static Status worst(Status a, Status b) {
        return a.severity() >= b.severity() ? a : b;
    }

    public static Status parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
