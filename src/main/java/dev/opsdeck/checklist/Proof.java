package dev.opsdeck.checklist;

import java.util.Map;

/** What an automated item found: whether it holds, a message saying exactly what was measured, and the evidence. */
public record Proof(boolean ok, String message, Map<String, Object> evidence) {
    static Proof ok(String message, Map<String, Object> evidence) {
        return new Proof(true, message, evidence);
    }

    static Proof failed(String message, Map<String, Object> evidence) {
        return new Proof(false, message, evidence);
    }
}
