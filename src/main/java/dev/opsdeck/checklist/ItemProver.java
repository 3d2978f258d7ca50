package dev.opsdeck.checklist;

import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import dev.opsdeck.runbook.Masker;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Proves one item: runs its inline check, reads its check's latest result or its fact, or looks at its attestation;
 * then a failed recommended item becomes a warning and an approved waiver in force turns a failure into waived.
 * Never throws: anything unexpected is the item's {@code error} state with the reason.
 */
final class ItemProver {
    /** The output-like values an observation holds that a check result leaves out; kept as evidence. */
    private static final List<String> OUTPUT = List.of("STDOUT", "STDERR", "BODY");

    private final ChecklistSources sources;
    private final Masker masker;

    ItemProver(ChecklistSources sources, Masker masker) {
        this.sources = sources;
        this.masker = masker;
    }

    /** {@code attestation} and {@code waiver}: the item's newest ones, or null. */
    ItemResult prove(
            String runId,
            CompiledChecklist list,
            ChecklistDef.Item item,
            Attestation attestation,
            Waiver waiver,
            long nowMs) {
        long start = System.nanoTime();
        ItemState state;
        String message;
        Map<String, Object> evidence = new LinkedHashMap<>();
        try {
            switch (item.source()) {
                case ChecklistDef.Manual m -> {
                    if (attestation == null) {
                        state = ItemState.UNATTESTED;
                        message = "not attested yet (attestations hold " + Units.format(m.expires()) + ")";
                    } else {
                        evidence.putAll(attestation.view());
                        boolean valid = attestation.valid(nowMs);
                        state = valid ? ItemState.ATTESTED : ItemState.EXPIRED;
                        message = (valid ? "attested by " : "attestation by ") + attestation.by() + " at "
                                + Instant.ofEpochMilli(attestation.atMs())
                                + (valid ? ", holds until " : ", expired at ")
                                + Instant.ofEpochMilli(attestation.expiresMs());
                    }
                }
                case ChecklistDef.CheckRef r -> {
                    CheckResult res = sources.latestCheck(r.ref());
                    if (res == null) {
                        state = ItemState.ERROR;
                        message = "check " + r.ref() + " has no result yet";
                    } else {
                        evidence.put("check", r.ref());
                        evidence.put("checked_at", res.at().toString());
                        state = stateOf(res, evidence);
                        message = res.message();
                    }
                }
                case ChecklistDef.Inline in -> {
                    CompiledCheck check = list.inline(item.id());
                    AtomicReference<Map<String, Object>> output = new AtomicReference<>(Map.of());
                    CheckResult res = check.run(o -> output.set(output(o.values())));
                    evidence.putAll(output.get());
                    state = stateOf(res, evidence);
                    message = res.message();
                }
                case ChecklistDef.Fact f -> {
                    Proof p = list.fact(item.id()).judge(sources, nowMs);
                    evidence.put("fact", f.name());
                    evidence.putAll(p.evidence());
                    state = p.ok() ? ItemState.PASSED : p.unchecked() ? ItemState.WARNING : ItemState.FAILED;
                    message = p.message();
                }
            }
        } catch (RuntimeException e) {
            state = ItemState.ERROR;
            message = "could not prove this item: " + e;
        }
        if (state == ItemState.FAILED && item.severity() == ChecklistDef.Severity.RECOMMENDED) {
            state = ItemState.WARNING;
        }
        if (!state.proven() && waiver != null && waiver.approvedBy() != null) {
            if (waiver.inForce(nowMs)) {
                evidence.put("waiver", waiver.view(nowMs));
                message = "waived by " + waiver.approvedBy() + " until " + Instant.ofEpochMilli(waiver.expiresMs())
                        + " (" + waiver.reason() + "); found: " + message;
                state = ItemState.WAIVED;
            } else {
                message = message + " (waiver " + waiver.id() + " expired at "
                        + Instant.ofEpochMilli(waiver.expiresMs()) + ")";
            }
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        return new ItemResult(
                runId,
                list.def().name(),
                item.id(),
                state,
                Evidence.text(masker, message),
                Evidence.clean(masker, evidence),
                took,
                nowMs);
    }

    /** Up: passed; down or degraded: failed (a readiness item holds or it does not). The values become evidence. */
    private static ItemState stateOf(CheckResult res, Map<String, Object> evidence) {
        evidence.put("status", res.status().name().toLowerCase(java.util.Locale.ROOT));
        if (!res.values().isEmpty()) evidence.put("values", res.values());
        return res.status() == Status.UP ? ItemState.PASSED : ItemState.FAILED;
    }

    private static Map<String, Object> output(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : OUTPUT) {
            if (values.get(k) instanceof String s && !s.isEmpty()) out.put(k.toLowerCase(java.util.Locale.ROOT), s);
        }
        return out;
    }
}
