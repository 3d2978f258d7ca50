package dev.opsdeck.web;

import dev.opsdeck.auth.Permission;
import dev.opsdeck.auth.Role;
import dev.opsdeck.checklist.Attestation;
import dev.opsdeck.checklist.ChecklistRun;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.checklist.ItemState;
import dev.opsdeck.checklist.Waiver;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.Units;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the checklist pages show, built from the checklist service's summaries and details. Items keep the order of
 * the configuration (the order people walk the list in and the export uses); an item that needs action is marked
 * and also listed in "Needs action" at the top of its checklist's page.
 */
public final class ChecklistModels {
    private ChecklistModels() {}

    /** What a person may do on these pages, from their role. */
    public record Rights(Role role, String name, boolean run, boolean attest, boolean waive) {
        static Rights of(Role role, String name) {
            return new Rights(
                    role,
                    name,
                    Permission.CHECKLIST_RUN.allows(role),
                    Permission.CHECKLIST_ATTEST.allows(role),
                    Permission.CHECKLIST_WAIVE.allows(role));
        }
    }

    /** One checklist on {@code /checklists}. */
    public record Card(
            String name,
            String title,
            String description,
            String score,
            String state,
            String pill,
            String lastRun,
            String when,
            int items,
            List<Count> counts) {}

    public record Count(String state, String pill, int n) {}

    public record ListPage(
            Viewer viewer, String css, String icon, List<Card> checklists, boolean canRun, String error) {}

    /** One line of evidence: a key and its value; {@code block} for output that keeps its lines. */
    public record EvidenceLine(String key, String value, boolean block) {}

    /** One bar of the history strip: its x, its colour class and what it says on hover. */
    public record Bar(int x, String seg, String title) {}

    /** An item's last results, oldest left, newest at the right end; drawn by {@code part/strip.jte}. */
    public record Strip(List<Bar> bars, String summary) {
        public static final int SLOT = 4, WIDTH = Checklists.HISTORY * SLOT, HEIGHT = 14;
    }

    /** An item's waiver as shown, with whether this person may approve it. */
    public record WaiverView(
            String id,
            String status,
            String reason,
            String requestedBy,
            String expires,
            String approvedBy,
            boolean canApprove) {}

    /** What a person typed into an item's form that was refused, shown back with the reason. */
    public record Typed(String item, String form, String note, String reason, String expires) {
        static final Typed NONE = new Typed("", "", "", "", "30d");

        public boolean attest(String id) {
            return item.equals(id) && form.equals("attest");
        }

        public boolean waive(String id) {
            return item.equals(id) && form.equals("waive");
        }
    }

    public record Item(
            String id,
            String title,
            String severity,
            String kind,
            String link,
            boolean linkIsUrl,
            String state,
            String pill,
            boolean needsAction,
            String message,
            String when,
            List<EvidenceLine> evidence,
            Strip history,
            String attestation,
            WaiverView waiver,
            boolean manual,
            boolean canAttest,
            String attestNeeds,
            boolean offerWaiver,
            Typed typed) {}

    public record Section(String title, List<Item> items) {}

    public record DetailPage(
            Viewer viewer,
            String css,
            String icon,
            Card head,
            String schedule,
            List<Section> sections,
            List<Item> needsAction,
            boolean canRun,
            String notice,
            String error) {}

    static Card card(Checklists.Summary s, long now) {
        return card(s.list().def(), s.last(), s.counts(), now);
    }

    static Card card(ChecklistDef def, ChecklistRun last, Map<ItemState, Integer> counts, long now) {
        List<Count> shown = new ArrayList<>();
        for (ItemState st : ItemState.values()) {
            Integer n = counts.get(st);
            if (n != null && n > 0) shown.add(new Count(st.label(), pill(st), n));
        }
        String lastRun = last == null
                ? "never run"
                : Format.ago(last.startedMs(), now) + " (" + last.cause()
                        + (last.cause().equals(ChecklistRun.SCHEDULE) ? "" : " by " + last.actor()) + ", "
                        + Format.ms(last.endedMs() - last.startedMs()) + ")";
        return new Card(
                def.name(),
                def.title(),
                def.description(),
                last == null ? "—" : last.score() + "/100",
                last == null ? "not run" : last.ready() ? "ready" : "not ready",
                last == null ? "pill-unknown" : last.ready() ? "pill-up" : "pill-down",
                lastRun,
                last == null ? "" : Format.utc(last.startedMs()),
                def.items().size(),
                shown);
    }

    static String schedule(ChecklistDef def) {
        List<String> parts = new ArrayList<>();
        if (def.schedule() != null) parts.add("cron " + def.schedule() + " (UTC)");
        if (def.every() != null) parts.add("every " + Units.format(def.every()));
        return parts.isEmpty() ? "on demand only" : String.join(" and ", parts);
    }

    /** The colour of a state's pill; the word is always shown too. */
    static String pill(ItemState s) {
        return switch (s) {
            case PASSED, ATTESTED -> "pill-up";
            case WARNING, UNATTESTED -> "pill-degraded";
            case FAILED, ERROR, EXPIRED -> "pill-down";
            case WAIVED -> "pill-unknown";
        };
    }

    private static String seg(ItemState s) {
        return pill(s).replace("pill-unknown", "pill-none").replace("pill-", "seg-");
    }

    static Item item(Checklists.ItemView v, Rights who, Typed typed, long now) {
        ChecklistDef.Item def = v.item();
        ItemResult r = v.latest();
        boolean manual = def.source() instanceof ChecklistDef.Manual;
        Role needs = def.source() instanceof ChecklistDef.Manual m
                ? Role.parse(m.role()).orElse(Role.RESPONDER)
                : Role.RESPONDER;
        boolean mayAttest =
                manual && who.attest() && who.role() != null && who.role().includes(needs);
        WaiverView waiver = waiver(v.waiver(), who, now);
        boolean pendingWaiver = waiver != null && waiver.status().equals("requested");
        boolean needsAction = r == null || !r.state().proven() || pendingWaiver;
        String link = def.link() == null ? "" : def.link();
        return new Item(
                def.id(),
                def.title(),
                def.severity().label(),
                def.source().kind(),
                link,
                link.startsWith("https://") || link.startsWith("http://") || link.startsWith("/"),
                r == null ? "not run" : r.state().label(),
                r == null ? "pill-unknown" : pill(r.state()),
                needsAction,
                r == null ? "No result yet: run the checklist." : r.message(),
                r == null ? "" : Format.ago(r.atMs(), now),
                r == null || manual ? List.of() : evidence(r.evidence()),
                strip(v.history()),
                manual ? attestation(v.attestation(), now) : null,
                waiver,
                manual,
                mayAttest,
                manual && !mayAttest && who.attest() ? needs.label() : null,
                who.waive() && !pendingWaiver && (r == null || !r.state().proven()),
                typed);
    }

    private static String attestation(Attestation a, long now) {
        if (a == null) return "Not attested yet.";
        String holds =
                a.valid(now) ? "holds until " + Format.utc(a.expiresMs()) : "expired at " + Format.utc(a.expiresMs());
        return "Attested by " + a.by() + " " + Format.ago(a.atMs(), now) + ", " + holds + ": " + a.note();
    }

    private static WaiverView waiver(Waiver w, Rights who, long now) {
        if (w == null) return null;
        String status = w.status(now);
        return new WaiverView(
                w.id(),
                status,
                w.reason(),
                w.requestedBy(),
                Format.utc(w.expiresMs()),
                w.approvedBy(),
                who.waive() && status.equals("requested") && !w.requestedBy().equals(who.name()));
    }

    /** Evidence as key/value lines: nested values one level deep get dotted keys; the waiver is shown on its own. */
    static List<EvidenceLine> evidence(Map<String, Object> evidence) {
        List<EvidenceLine> out = new ArrayList<>();
        evidence.forEach((k, v) -> {
            if (k.equals("waiver")) return;
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                m.forEach((k2, v2) -> out.add(line(k + "." + k2, v2)));
            } else {
                out.add(line(k, v));
            }
        });
        return out;
    }

    private static EvidenceLine line(String key, Object v) {
        String text = switch (v) {
            case null -> "—";
            case String s -> s;
            // a measured fraction (23.594334824388007 %) reads better cut to two decimals; whole numbers stay exact
            case Double d when Math.abs(d) >= 1 && d != Math.rint(d) -> String.format(Locale.ROOT, "%.2f", d);
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> Json.write(v);
        };
        return new EvidenceLine(key, text, text.contains("\n") || text.length() > 160);
    }

    /** History is newest first; the newest bar sits at the right end so the strips of all items line up. */
    static Strip strip(List<ItemResult> history) {
        List<Bar> bars = new ArrayList<>();
        Map<ItemState, Integer> counts = new EnumMap<>(ItemState.class);
        int n = Math.min(history.size(), Checklists.HISTORY);
        for (int i = 0; i < n; i++) {
            ItemResult r = history.get(i);
            counts.merge(r.state(), 1, Integer::sum);
            bars.add(new Bar(
                    (Checklists.HISTORY - 1 - i) * Strip.SLOT,
                    seg(r.state()),
                    r.state().label() + " · " + Format.utc(r.atMs())));
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((s, c) -> parts.add(c + " " + s.label()));
        String summary = n == 0 ? "no runs yet" : "last " + n + " runs: " + String.join(", ", parts);
        return new Strip(bars, summary);
    }
}
