package dev.opsdeck.config;

/** Where something was written: file, 1-based line and column. */
public record Position(String file, int line, int column) {
    public static final Position NONE = new Position("<none>", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
