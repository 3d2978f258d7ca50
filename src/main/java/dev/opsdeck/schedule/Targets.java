package dev.opsdeck.schedule;

import dev.opsdeck.config.ScheduleDef;
import java.util.function.Consumer;

/** Runs what a schedule names and waits for it to end. {@code linked} is told the id of what started, as soon as known. */
@FunctionalInterface
public interface Targets {
    Outcome run(ScheduleDef.Target target, String actor, Consumer<String> linked);
}
