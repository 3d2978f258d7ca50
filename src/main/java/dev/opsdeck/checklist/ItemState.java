package dev.opsdeck.checklist;

import java.util.Locale;

/**
 * Where one item stands after a run. {@link #proven()} states count toward the score; a failed recommended item is
 * a {@link #WARNING} (it costs score but not readiness).
 */
public enum ItemState {
    PASSED,
    FAILED,
    WARNING,
    WAIVED,
    ATTESTED,
    UNATTESTED,
    EXPIRED,
    ERROR;

    /** Passed, attested, or failing under an approved waiver that has not expired. */
    public boolean proven() {
        return this == PASSED || this == WAIVED || this == ATTESTED;
    }

    /** {@code passed}, {@code failed}, ...: what the API, CLI, metrics and export say. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ItemState parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
