package dev.opsdeck.blueprint;

import dev.opsdeck.backup.CompiledDestination;
import dev.opsdeck.checklist.CompiledChecklist;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.notify.Channels;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.CompiledRunbook;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
     * A digest of what nodes sharing a store must agree on to share the checks: every check's id and definition,
     * 12 hex digits. Two nodes with equal digests split the same checks the same way.
     */
    public String checksHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String id : new TreeMap<>(checks).keySet()) {
                md.update(id.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(checks.get(id).definition().definitionHash().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

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
