package dev.opsdeck.server;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server started, in the order it started: closed in reverse, both when a start fails half-way and when
 * the server stops, so a part is never closed while a part started after it (and maybe using it) still runs.
 */
final class Started {
    private final List<AutoCloseable> parts = new ArrayList<>();

    <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    /** Closes everything, last started first; what fails to close is added to {@code failure}, or thrown if none. */
    void closeAll(RuntimeException failure) {
        RuntimeException first = failure;
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                else first.addSuppressed(e);
            }
        }
        if (failure == null && first != null) throw first;
    }
}
