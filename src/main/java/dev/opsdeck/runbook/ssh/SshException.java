package dev.opsdeck.runbook.ssh;

/**
 * An ssh step that could not run its command: the kind tells the engine (and tests) which failure it was, the
 * message says it for a person, naming the host.
 */
public final class SshException extends Exception {
    public enum Kind {
        /** The private key text is not a key this client can read. */
        BAD_KEY,
        /** The known_hosts file is missing or unreadable. */
        KNOWN_HOSTS,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** Nothing listens on the port. */
        CONNECTION_REFUSED,
        /** No route, or no answer within the connect timeout. */
        UNREACHABLE,
        /** The host presented a key that known_hosts does not list for it. */
        HOST_KEY_UNKNOWN,
        /** known_hosts lists a different key for the host: possibly a man in the middle. */
        HOST_KEY_CHANGED,
        /** The server refused the user and key. */
        AUTH_FAILED,
        /** The connection broke or the server refused the command channel. */
        PROTOCOL
    }

    private final Kind kind;

    public SshException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
