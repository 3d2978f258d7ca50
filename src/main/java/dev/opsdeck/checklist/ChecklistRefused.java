package dev.opsdeck.checklist;

/** A request about a checklist that cannot be done, and why; the API answers 404, 403, 409 or 400 by {@link #reason}. */
public final class ChecklistRefused extends RuntimeException {
    public enum Reason {
        /** No such checklist, item or waiver. */
        UNKNOWN,
        /** The person may not do this (a requester approving their own waiver, a role below the item's). */
        FORBIDDEN,
        /** Not in the state this needs (a waiver approved already, an item that is not manual). */
        CONFLICT,
        /** A value out of bounds (an empty or huge note, an expiry in the past). */
        INVALID
    }

    private final Reason reason;

    public ChecklistRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
