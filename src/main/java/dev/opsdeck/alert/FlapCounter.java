package dev.opsdeck.alert;

import dev.opsdeck.probe.Status;
import java.util.ArrayDeque;

/**
 * A check's flapping flag as the monitor computes it (monitoring.flapping: at least {@code changes} state
 * changes within {@code window}), kept from the results the listener sees. The listener is told the previous
 * status on every change, which is all the monitor's own rule uses, so both agree without a store read.
 */
final class FlapCounter {
    private final ArrayDeque<Long> changes = new ArrayDeque<>();

    /** Records a result; returns whether the check flaps now. */
    synchronized boolean record(long atMs, Status previous, long windowMs, int threshold) {
        if (previous != null && previous != Status.UNKNOWN) changes.addLast(atMs);
        while (!changes.isEmpty() && changes.peekFirst() < atMs - windowMs) changes.pollFirst();
        return changes.size() >= threshold;
    }
}
