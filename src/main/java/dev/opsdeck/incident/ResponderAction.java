package dev.opsdeck.incident;

/**
 * The state changes a responder makes to an incident with one click or call. Each has the last segment of its URL
 * ({@code /incidents/{id}/ack}) and its audit action, so the JSON API and the pages offer and record them alike.
 */
public enum ResponderAction {
    ACK("ack", IncidentManager::acknowledge),
    RESOLVE("resolve", IncidentManager::resolve),
    REOPEN("reopen", IncidentManager::reopen);

    private final String path;
    private final Change change;

    ResponderAction(String path, Change change) {
        this.path = path;
        this.change = change;
    }

    /** The last segment of the URL that makes this change. */
    public String path() {
        return path;
    }

    /** The audit log's name for it, e.g. {@code incident.ack}. */
    public String auditAction() {
        return "incident." + path;
    }

    /** Makes the change as {@code person} (how the timeline names them); returns the incident after it. */
    public Incident apply(IncidentManager incidents, long id, String person) {
        return change.apply(incidents, id, person);
    }

    private interface Change {
        Incident apply(IncidentManager incidents, long id, String person);
    }
}
