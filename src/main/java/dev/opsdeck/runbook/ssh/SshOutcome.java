package dev.opsdeck.runbook.ssh;

import java.time.Duration;

/**
 * What a remote command did. {@code exitCode} is null when the command did not exit by itself: it was killed at
 * its timeout ({@code timedOut}) or by a signal ({@code exitSignal}). Each stream keeps at most the cap given to
 * {@link SshRunner#run}; a truncated stream ends with a marker saying how much was dropped.
 */
public record SshOutcome(
        Integer exitCode,
        String exitSignal,
        boolean timedOut,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        Duration took) {

    /** A one-line summary for step errors and logs. */
    public String describe() {
        if (timedOut) return "killed at its timeout after " + took.toMillis() + " ms";
        if (exitCode == null) return "ended by signal " + (exitSignal == null ? "(unknown)" : exitSignal);
        return "exit code " + exitCode;
    }
}
