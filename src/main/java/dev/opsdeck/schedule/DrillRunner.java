package dev.opsdeck.schedule;

/**
 * The restore drills a schedule can run, behind one method so the scheduler does not need to know how a drill
 * works. {@link #NONE} is used while no drill runner is wired: a drill target then fails and says so.
 */
@FunctionalInterface
public interface DrillRunner {
    DrillRunner NONE = (drill, actor) -> Outcome.failed("drills are not configured: cannot run drill '" + drill + "'");

    /** Runs drill {@code drill} to the end; ok only when it passed. */
    Outcome run(String drill, String actor);
}
