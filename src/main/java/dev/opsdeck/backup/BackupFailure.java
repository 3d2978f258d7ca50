package dev.opsdeck.backup;

/**
 * A backup, verification or restore that could not be done, with what to do about it. The message names the
 * target and the cause; it never carries a password (URLs are shown masked).
 */
public final class BackupFailure extends RuntimeException {
    private final String fix;

    public BackupFailure(String message, String fix) {
        super(message);
        this.fix = fix;
    }

    public BackupFailure(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    /** What the operator should do; null when there is nothing specific. */
    public String fix() {
        return fix;
    }

    /** Message and fix on one line, as stored and notified. */
    public String describe() {
        return fix == null ? getMessage() : getMessage() + " (fix: " + fix + ")";
    }
}
