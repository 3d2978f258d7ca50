package dev.opsdeck.deploy;

import java.util.Locale;

/** Where a deploy stands. The last five are final: a final deploy never changes again. */
public enum DeployState {
    PENDING,
    RUNNING,
    VERIFYING,
    SUCCEEDED,
    FAILED,
    ROLLED_BACK,
    ROLLBACK_FAILED,
    CANCELLED;

    /** The name as stored and shown: {@code rolled_back}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeployState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** A deploy that changed production for the worse: counted by the change failure rate. */
    public boolean isFailure() {
        return this == FAILED || this == ROLLED_BACK || this == ROLLBACK_FAILED;
    }
}
