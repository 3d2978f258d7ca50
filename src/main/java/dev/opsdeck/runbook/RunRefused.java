package dev.opsdeck.runbook;

/** A run that cannot start or change as asked (bad parameter, busy runbook, not waiting): the message says why. */
public final class RunRefused extends RuntimeException {
    public enum Reason {
        INVALID,
        NOT_FOUND,
        CONFLICT,
        FORBIDDEN
    }

    private final Reason reason;

    public RunRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
