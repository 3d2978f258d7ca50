package dev.opsdeck.checklist;

import dev.opsdeck.auth.Role;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.Units;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Manual attestations and waivers, with who may give them: an attestation needs the item's {@code role} (responder
 * unless the item says more); a waiver is requested with a reason and how long it holds, and is in force once someone
 * other than its requester approved it.
 */
public final class Attesting {
    /** The longest note or reason kept; a longer one is refused, not cut. */
    public static final int MAX_TEXT = 2000;
    /** The longest a waiver may hold: an exception is reviewed at least yearly. */
    public static final Duration MAX_WAIVER = Duration.ofDays(365);

    private static final int KEPT = 1000;

    private final ChecklistStore store;
    private final Function<String, CompiledChecklist> checklists;
    private final Clock clock;

    Attesting(ChecklistStore store, Function<String, CompiledChecklist> checklists, Clock clock) {
        this.store = store;
        this.checklists = checklists;
        this.clock = clock;
    }

    public Attestation attest(String checklist, String itemId, String note, String actor, Role role) {
        ChecklistDef.Item item = item(checklists.apply(checklist), itemId);
        if (!(item.source() instanceof ChecklistDef.Manual m))
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.CONFLICT,
                    "item '" + itemId + "' is proven by " + item.source().kind() + ", not attested by a person");
        Role least = Role.parse(m.role()).orElse(Role.RESPONDER);
        if (role == null || !role.includes(least))
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.FORBIDDEN,
                    "attesting '" + itemId + "' needs the " + least.label() + " role or above");
        long now = clock.millis();
        Attestation a = new Attestation(
                Ids.next(),
                checklist,
                itemId,
                text("note", note),
                actor,
                now,
                now + m.expires().toMillis());
        store.attest(a);
        return a;
    }

    public Waiver request(String checklist, String itemId, String reason, Duration holds, String actor) {
        item(checklists.apply(checklist), itemId);
        if (holds == null || holds.isNegative() || holds.isZero() || holds.compareTo(MAX_WAIVER) > 0)
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.INVALID,
                    "expires: a waiver holds longer than zero and at most " + Units.format(MAX_WAIVER));
        long now = clock.millis();
        Waiver w = new Waiver(
                Ids.next(), checklist, itemId, text("reason", reason), actor, now, now + holds.toMillis(), null, null);
        store.requestWaiver(w);
        return w;
    }

    public Waiver approve(String checklist, String waiverId, String actor) {
        var unused = checklists.apply(checklist); // refuses an unknown checklist
        Waiver w = store.waiver(waiverId)
                .filter(x -> x.checklist().equals(checklist))
                .orElseThrow(() -> new ChecklistRefused(
                        ChecklistRefused.Reason.UNKNOWN, "no waiver '" + waiverId + "' of checklist " + checklist));
        long now = clock.millis();
        if (w.requestedBy().equals(actor))
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.FORBIDDEN,
                    "a waiver is approved by someone other than its requester (" + actor + ")");
        if (w.approvedBy() != null)
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.CONFLICT, "waiver " + waiverId + " was approved by " + w.approvedBy());
        if (now >= w.expiresMs())
            throw new ChecklistRefused(ChecklistRefused.Reason.CONFLICT, "waiver " + waiverId + " has expired");
        if (!store.approve(waiverId, actor, now))
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.CONFLICT, "waiver " + waiverId + " was approved already");
        return store.waiver(waiverId).orElseThrow();
    }

    public List<Attestation> attestations(String checklist) {
        return store.attestations(checklist, KEPT);
    }

    public List<Waiver> waivers(String checklist) {
        return store.waivers(checklist, KEPT);
    }

    Map<String, Attestation> newestAttestations(String checklist) {
        Map<String, Attestation> out = new LinkedHashMap<>();
        attestations(checklist).forEach(a -> out.putIfAbsent(a.itemId(), a));
        return out;
    }

    Map<String, Waiver> newestWaivers(String checklist) {
        Map<String, Waiver> out = new LinkedHashMap<>();
        waivers(checklist).forEach(w -> out.putIfAbsent(w.itemId(), w));
        return out;
    }

    /** Per item: an approved waiver in force, else the newest approved one (which has expired), else none. */
    Map<String, Waiver> waiverThatCounts(String checklist, long nowMs) {
        Map<String, Waiver> out = new LinkedHashMap<>();
        for (Waiver w : waivers(checklist)) {
            if (w.approvedBy() == null) continue;
            Waiver held = out.get(w.itemId());
            if (held == null || (!held.inForce(nowMs) && w.inForce(nowMs))) out.put(w.itemId(), w);
        }
        return out;
    }

    ChecklistDef.Item item(CompiledChecklist list, String itemId) {
        return list.def()
                .item(itemId)
                .orElseThrow(() -> new ChecklistRefused(
                        ChecklistRefused.Reason.UNKNOWN,
                        "checklist " + list.def().name() + " has no item '" + clip(itemId) + "'"));
    }

    private static String text(String field, String value) {
        if (value == null || value.isBlank())
            throw new ChecklistRefused(ChecklistRefused.Reason.INVALID, field + ": required");
        if (value.length() > MAX_TEXT)
            throw new ChecklistRefused(
                    ChecklistRefused.Reason.INVALID,
                    field + ": at most " + MAX_TEXT + " characters, got " + value.length());
        return value.strip();
    }

    /** An id from a URL, shown back only as far as it is reasonable. */
    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
