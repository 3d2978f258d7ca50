package dev.opsdeck.backup;

import dev.opsdeck.config.DestinationDef;
import dev.opsdeck.config.Fields;

/**
 * One kind of backup destination ({@code local}, {@code s3}, ...). Adding a kind means one new class registered in
 * {@link DestinationTypes} and a section in docs/backups.md; nothing else changes.
 */
public interface DestinationType {
    String name();

    /**
     * Reads the type's own keys from {@code settings} (reporting problems there; the caller calls finish() to catch
     * unknown keys) and returns the destination ready to open, or null if unusable.
     */
    CompiledDestination configure(DestinationDef def, Fields settings);
}
