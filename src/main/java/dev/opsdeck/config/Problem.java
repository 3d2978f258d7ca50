package dev.opsdeck.config;

/** One configuration error, printed as {@code file:line:col: message (hint: ...)}. */
public record Problem(Position position, String message, String hint) {
    @Override
    public String toString() {
        String text = position + ": " + message;
        return hint == null || hint.isBlank() ? text : text + " (hint: " + hint + ")";
    }
}
