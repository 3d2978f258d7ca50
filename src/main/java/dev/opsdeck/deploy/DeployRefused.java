package dev.opsdeck.deploy;

/** A deploy request refused before anything ran or was stored; the message says what is wrong and what to do. */
public final class DeployRefused extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        INVALID,
        CONFLICT,
        FORBIDDEN,
        /** A freeze window or an open P1/P2 incident; a reason overrides it. */
        FROZEN
    }

    private final Reason reason;

    public DeployRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
