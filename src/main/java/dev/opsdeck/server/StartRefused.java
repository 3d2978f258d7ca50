package dev.opsdeck.server;

import dev.opsdeck.doctor.Doctor;
import dev.opsdeck.doctor.Finding;
import java.util.List;

/** The server will not start as configured, for reasons listed one per line (e.g. the production checklist). */
public final class StartRefused extends RuntimeException {
    public StartRefused(String lines) {
        super(lines, null, false, false);
    }

    /** Refuses to start on any failed item of the production checklist, one line each. */
    static void on(List<Finding> blockers) {
        if (!blockers.isEmpty()) throw new StartRefused(Doctor.describe(blockers));
    }
}
