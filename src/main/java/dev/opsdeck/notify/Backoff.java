package dev.opsdeck.notify;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Waits between attempts: 5 s after the first failure, doubling, at most 15 min, each wait drawn at random
 * from its upper half ("equal jitter"), so messages that failed together (a receiver restarting) do not
 * all come back in the same second, and no wait is shorter than half its step.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(5), MAX = Duration.ofMinutes(15);
    private final RandomGenerator random;

    Backoff(RandomGenerator random) {
        this.random = random;
    }

    /** The step after failed attempt number {@code attempt} (1 for the first), before jitter. */
    static long stepMs(int attempt) {
        long step = FIRST.toMillis() << Math.min(attempt - 1, 20);
        return Math.min(step, MAX.toMillis());
    }

    /** The wait after failed attempt number {@code attempt}: between half the step and the step. */
    long delayMs(int attempt) {
        long step = stepMs(attempt);
        return step / 2 + random.nextLong(step / 2 + 1);
    }
}
