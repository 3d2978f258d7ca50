package dev.opsdeck.maintenance;

/** A maintenance window that cannot be made as asked; the message starts with the field ("ends_at: ..."). */
public final class InvalidWindow extends RuntimeException {
    public InvalidWindow(String message) {
        super(message);
    }
}
