package dev.opsdeck.probe;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import java.util.List;
import java.util.Set;

/**
 * One kind of check ({@code http}, {@code tcp}, ...). Adding a kind means one new class
 * registered in {@link CheckTypes}; nothing else changes.
 */
public interface CheckType {
    String name();

    /** Placeholder names (without brackets) that conditions on this type may use. */
    Set<String> placeholders();

    /** Conditions used when the check lists none, e.g. {@code [CONNECTED] == true}. */
    List<String> defaultConditions();

    /**
     * The default conditions of one check, after {@link #configure} read its {@code settings}: for a type
     * whose keys say what to expect (a file check with {@code contains:}). Most types have one default.
     */
    default List<String> defaultConditions(Fields settings) {
        return defaultConditions();
    }

    /**
     * Reads the type's own keys from {@code settings} (reporting problems there; the caller
     * calls finish() to catch unknown keys) and returns a probe, or null if unusable.
     */
    Probe configure(CheckDef check, Fields settings);
}
