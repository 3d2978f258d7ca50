package dev.opsdeck.store;

/** The store cannot be used; the message is shown to users as is. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
