package dev.opsdeck.monitor;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;

/** Told about every result (on the probing thread: keep it quick). Alerting and live views plug in here. */
public interface ResultListener {
    /** {@code previous} is the status before this result when it changed the check's state, else null. */
    void onResult(String checkId, CheckResult result, Status current, Status previous);
}
