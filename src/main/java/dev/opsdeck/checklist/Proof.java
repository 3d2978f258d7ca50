package dev.opsdeck.checklist;

import java.util.Map;

/**
 * What an automated item found: whether it holds, a message saying exactly what was measured, and the evidence.
 * {@code unchecked}: it could not be looked at here (a file system without POSIX permissions) and says so as a
 * warning, whatever the item's severity.
 */
public record Proof(boolean ok, boolean unchecked, String message, Map<String, Object> evidence) {
    public static Proof ok(String message, Map<String, Object> evidence) {
        return new Proof(true, false, message, evidence);
    }

    public static Proof failed(String message, Map<String, Object> evidence) {
        return new Proof(false, false, message, evidence);
    }

    public static Proof unchecked(String message, Map<String, Object> evidence) {
        return new Proof(false, true, message, evidence);
    }
}
