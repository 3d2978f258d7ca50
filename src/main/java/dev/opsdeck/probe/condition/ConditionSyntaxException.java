package dev.opsdeck.probe.condition;

/** A condition that cannot be parsed; the message says where and why. */
public final class ConditionSyntaxException extends Exception {
    private final String hint;

    public ConditionSyntaxException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
