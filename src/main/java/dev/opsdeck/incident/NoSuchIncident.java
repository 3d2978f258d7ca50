package dev.opsdeck.incident;

/** The incident asked for does not exist. */
public final class NoSuchIncident extends RuntimeException {
    public NoSuchIncident(long id) {
        super("no incident " + id);
    }
}
