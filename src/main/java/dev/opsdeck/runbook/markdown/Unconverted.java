package dev.opsdeck.runbook.markdown;

/**
 * Something of the document the import did not turn into a working step, or turned into one that needs a look:
 * {@code kind} is one of table, image, html, sql, output, code, note, docker, endless, incomplete, empty, outside; {@code line} is the
 * line in the document as given.
 */
public record Unconverted(int line, String kind, String text, String reason) {
    @Override
    public String toString() {
        return "line " + line + ": " + kind + ": " + text + " — " + reason;
    }
}
