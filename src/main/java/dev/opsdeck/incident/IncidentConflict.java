package dev.opsdeck.incident;

/** A change that does not fit the incident's state, e.g. acknowledging a resolved incident. */
public final class IncidentConflict extends RuntimeException {
    public IncidentConflict(String message) {
        super(message);
    }
}
