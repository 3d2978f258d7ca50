package dev.opsdeck.probe;

/**
 * One configured check, ready to measure. Implementations must respect the context's
 * timeout for their own I/O; the engine also interrupts a probe that overruns.
 * A probe may keep resources (clients, pools) between runs and frees them in close().
 */
public interface Probe extends AutoCloseable {
    Observation observe(ProbeContext context) throws Exception;

    @Override
    default void close() {}
}
