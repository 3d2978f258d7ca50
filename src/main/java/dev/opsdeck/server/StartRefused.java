package dev.opsdeck.server;

/** The server will not start as configured, for reasons listed one per line (e.g. the production checklist). */
public final class StartRefused extends RuntimeException {
    public StartRefused(String lines) {
        super(lines, null, false, false);
    }
}
