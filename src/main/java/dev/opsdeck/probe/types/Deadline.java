package dev.opsdeck.probe.types;

import dev.opsdeck.config.Units;
import java.time.Duration;

/**
 * The check's whole timeout as one point in time, so that every step of a probe (connect,
 * handshake, each redirect, reading) draws from the same budget instead of each getting
 * the full timeout and the run taking a multiple of it.
 */
final class Deadline {
    private final Duration timeout;
    private final long start = System.nanoTime();
    private final long end;

    Deadline(Duration timeout) {
        this.timeout = timeout;
        this.end = start + timeout.toNanos();
    }

    Duration timeout() {
        return timeout;
    }

    long remainingNanos() {
        return end - System.nanoTime();
    }

    /** Remaining milliseconds, at least 1 so it can be passed to APIs where 0 means "forever". */
    int remainingMillis() throws Failed {
        long ms = remainingNanos() / 1_000_000;
        if (ms <= 0) {
            throw expired();
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** Remaining whole seconds rounded up, for drivers that only take seconds. */
    int remainingSeconds() throws Failed {
        return (int) Math.max(1, (remainingMillis() + 999) / 1000);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    Failed expired() {
        return new Failed(message());
    }

    String message() {
        return "timed out after " + Units.format(timeout);
    }
}
