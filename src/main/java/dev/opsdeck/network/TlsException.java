package dev.opsdeck.network;

/**
 * HTTPS cannot start: a missing, unreadable or unsuitable certificate, key or keystore. The message is
 * one line for the user, naming the config key and the file, and how to fix it where that is known.
 */
public final class TlsException extends RuntimeException {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
