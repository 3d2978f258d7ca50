package dev.opsdeck.blueprint;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The blueprint that runs now. A reload swaps it in one step, so whoever reads it sees one configuration, never
 * a mix of two; parts that need the configuration at the moment they act read it here instead of keeping a copy.
 */
public final class RunningConfig {
    private final AtomicReference<Blueprint> current;

    public RunningConfig(Blueprint first) {
        current = new AtomicReference<>(Objects.requireNonNull(first));
    }

    public Blueprint get() {
        return current.get();
    }

    /** Makes {@code next} the running blueprint and returns the one it replaced. */
    public Blueprint swap(Blueprint next) {
        return current.getAndSet(Objects.requireNonNull(next));
    }
}
