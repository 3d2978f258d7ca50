package dev.opsdeck.blueprint;

import dev.opsdeck.backup.CompiledDestination;
import dev.opsdeck.checklist.CompiledChecklist;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.notify.Channels;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.CompiledRunbook;
import java.util.List;
import java.util.Map;

/**
 * A loaded configuration compiled into the parts that run: what a start or a reload hands to the capabilities.
 * Made only by {@link Compiler}, so a blueprint has passed every check the loader and the types make.
 */
public record Blueprint(
        OpsdeckConfig config,
        Map<String, CompiledCheck> checks,
        Channels channels,
        Map<String, List<CompiledDestination>> destinations,
        Map<String, CompiledRunbook> runbooks,
        Map<String, CompiledChecklist> checklists) {

    /**
     * Releases what the compiled parts hold (a blueprint that is discarded, or replaced part by part). Compiled
     * channels hold only their settings (the outbox owns the connections they send over), destinations hold
     * nothing (each backup operation opens and closes its own), and runbooks hold settings (each step opens what it
     * uses as it runs).
     */
    public void close() {
        checks.values().forEach(CompiledCheck::close);
        checklists.values().forEach(CompiledChecklist::close);
    }
}
