package dev.opsdeck.runbook;

import java.time.Instant;

/** Small formatting shared by the views of runs and steps. */
final class RunText {
    private RunText() {}

    static String time(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }
}
