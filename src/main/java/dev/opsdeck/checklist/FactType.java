package dev.opsdeck.checklist;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.OpsdeckConfig;

/**
 * One kind of Opsdeck fact an item may require ({@code fact: backup.verified}). Reads its {@code params} when the
 * configuration is compiled (names are checked against the configuration then) and returns what judges it at each
 * run, or null after reporting problems. Public so that a built-in checklist above this package (the doctor's) can
 * bring facts of its own to {@link ChecklistCompiler#compileBuiltIn}.
 */
public interface FactType {
    String name();

    Judge configure(Fields params, OpsdeckConfig config);

    /** Judges the fact against what the server knows now. */
    @FunctionalInterface
    interface Judge {
        Proof judge(ChecklistSources sources, long nowMs);
    }
}
