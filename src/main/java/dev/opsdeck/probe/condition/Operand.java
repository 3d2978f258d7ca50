package dev.opsdeck.probe.condition;

import java.util.List;

/** The left or right side of a condition, parsed once at load time. */
sealed interface Operand {
    /** {@code [NAME]} followed by an optional path like {@code .items[0].id}. */
    record Placeholder(String name, List<Object> path, String text) implements Operand {}

    /** {@code len(x)}: length of a string, list or map. */
    record Len(Placeholder of, String text) implements Operand {}

    /** {@code has(x)}: true when the path exists. */
    record Has(Placeholder of, String text) implements Operand {}

    /** A literal, already interpreted: number (durations as ms, sizes as bytes), text, boolean, null. */
    record Literal(Object value, String text) implements Operand {}

    /** {@code any(a, b, c)}: equal to one of them (only with == and !=). */
    record AnyOf(List<Literal> options, String text) implements Operand {}

    /** {@code pat(glob*)}: text matching a glob with * and ? (only with == and !=). */
    record Pattern(java.util.regex.Pattern regex, String text) implements Operand {}

    String text();
}
