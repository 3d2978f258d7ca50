package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.CHECKLIST_ATTEST;
import static dev.opsdeck.auth.Permission.CHECKLIST_RUN;
import static dev.opsdeck.auth.Permission.CHECKLIST_WAIVE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.checklist.ChecklistRefused;
import dev.opsdeck.checklist.ChecklistRun;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.ItemState;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /checklists}: every readiness checklist with its score and state, and {@code /checklists/{name}}: its items
 * with state, evidence, a strip of their last results, attestations and waivers. The forms (run now, attest, request
 * a waiver, approve someone else's) need the same permissions as the API's routes ({@code api.ChecklistRoutes}) and
 * write the same audit entries; a refusal is shown on the page with what was typed.
 */
public final class ChecklistPages {
    private final Checklists checklists;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final PageTemplates templates = new PageTemplates();

    public ChecklistPages(Checklists checklists, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.checklists = checklists;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig config, Nav nav) {
        nav.add("Checklists", "/checklists", READ, 85);
        new SecuredRoutes(config)
                .get("/checklists", READ, ctx -> list(ctx, 200, null))
                .get("/checklists/{name}", READ, ctx -> detail(ctx, 200, notice(ctx), null, ChecklistModels.Typed.NONE))
                .post("/checklists/{name}/run", CHECKLIST_RUN, this::run)
                .post("/checklists/{name}/items/{item}/attest", CHECKLIST_ATTEST, this::attest)
                .post("/checklists/{name}/items/{item}/waivers", CHECKLIST_WAIVE, this::requestWaiver)
                .post("/checklists/{name}/waivers/{id}/approve", CHECKLIST_WAIVE, this::approve);
    }

    /** What the redirect after a form says: the query names only what was done, never free text. */
    private static String notice(Context ctx) {
        return switch (String.valueOf(ctx.queryParam("done"))) {
            case "run" -> "The checklist ran; the score and every item below are from this run.";
            case "attest" -> "Attestation recorded; the checklist ran again with it.";
            case "waiver" -> "Waiver requested; it counts once someone else approves it.";
            case "approve" -> "Waiver approved; the checklist ran again with it.";
            default -> null;
        };
    }

    private void list(Context ctx, int status, String error) {
        long now = clock.millis();
        var cards = checklists.list().stream()
                .map(s -> ChecklistModels.card(s, now))
                .toList();
        var page = new ChecklistModels.ListPage(
                Viewer.of(ctx), assets.css(), assets.icon(), cards, rights(ctx).run(), error);
        Dashboard.html(ctx, status, templates.render("checklists.jte", page));
    }

    private void detail(Context ctx, int status, String notice, String error, ChecklistModels.Typed typed) {
        Checklists.Detail d;
        try {
            d = checklists.show(ctx.pathParam("name"));
        } catch (ChecklistRefused e) {
            list(ctx, 404, e.getMessage());
            return;
        }
        long now = clock.millis();
        ChecklistModels.Rights who = rights(ctx);
        List<ChecklistModels.Section> sections = new ArrayList<>();
        List<ChecklistModels.Item> needsAction = new ArrayList<>();
        String current = null;
        List<ChecklistModels.Item> items = null;
        for (Checklists.ItemView v : d.items()) {
            if (items == null || !v.section().equals(current)) {
                current = v.section();
                items = new ArrayList<>();
                sections.add(new ChecklistModels.Section(current, items));
            }
            ChecklistModels.Item item = ChecklistModels.item(v, who, typed, now);
            items.add(item);
            if (item.needsAction()) needsAction.add(item);
        }
        var counts = d.last() == null ? Map.<ItemState, Integer>of() : countsOf(d);
        var page = new ChecklistModels.DetailPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                ChecklistModels.card(d.list().def(), d.last(), counts, now),
                ChecklistModels.schedule(d.list().def()),
                sections,
                needsAction,
                who.run(),
                notice,
                error);
        Dashboard.html(ctx, status, templates.render("checklist.jte", page));
    }

    private static Map<ItemState, Integer> countsOf(Checklists.Detail d) {
        Map<ItemState, Integer> counts = new EnumMap<>(ItemState.class);
        d.items().stream()
                .filter(v -> v.latest() != null)
                .forEach(v -> counts.merge(v.latest().state(), 1, Integer::sum));
        return counts;
    }

    private void run(Context ctx) {
        String name = ctx.pathParam("name");
        boolean ok = change(ctx, ChecklistModels.Typed.NONE, "checklist.run", name, () -> {
            Checklists.Report r = checklists.run(
                    name, ChecklistRun.MANUAL, Requests.principal(ctx).name());
            return new Audited(name, r.run().auditDetails());
        });
        if (ok) done(ctx, name, "run");
    }

    private void attest(Context ctx) {
        String name = ctx.pathParam("name"), item = ctx.pathParam("item");
        Principal who = Requests.principal(ctx);
        var typed = new ChecklistModels.Typed(item, "attest", field(ctx, "note"), "", "30d");
        boolean ok = change(ctx, typed, "checklist.attest", name + "/" + item, () -> {
            var a = checklists.attesting().attest(name, item, typed.note(), who.name(), who.role());
            return new Audited(name + "/" + item, Map.of("attestation", a.id(), "expires_ms", a.expiresMs()));
        });
        if (!ok) return;
        checklists.run(name, ChecklistRun.MANUAL, who.name()); // the page shows the attested item at once
        done(ctx, name, "attest");
    }

    private void requestWaiver(Context ctx) {
        String name = ctx.pathParam("name"), item = ctx.pathParam("item");
        var typed = new ChecklistModels.Typed(item, "waive", "", field(ctx, "reason"), field(ctx, "expires"));
        boolean ok = change(ctx, typed, "checklist.waiver_request", name + "/" + item, () -> {
            Duration holds;
            try {
                holds = Units.duration(typed.expires().strip());
            } catch (IllegalArgumentException e) {
                holds = null;
            }
            if (holds == null)
                throw new ChecklistRefused(
                        ChecklistRefused.Reason.INVALID,
                        "expires: expected a duration such as 30d, got '" + typed.expires() + "'");
            var w = checklists
                    .attesting()
                    .request(
                            name,
                            item,
                            typed.reason(),
                            holds,
                            Requests.principal(ctx).name());
            return new Audited(name + "/" + item, Map.of("waiver", w.id(), "expires_ms", w.expiresMs()));
        });
        if (ok) done(ctx, name, "waiver");
    }

    private void approve(Context ctx) {
        String name = ctx.pathParam("name"), id = ctx.pathParam("id");
        String who = Requests.principal(ctx).name();
        boolean ok = change(ctx, ChecklistModels.Typed.NONE, "checklist.waiver_approve", name + "/" + id, () -> {
            var w = checklists.attesting().approve(name, id, who);
            return new Audited(name + "/" + w.itemId(), Map.of("waiver", w.id()));
        });
        if (!ok) return;
        checklists.run(name, ChecklistRun.MANUAL, who);
        done(ctx, name, "approve");
    }

    /** The audit entry of a change that was made: its target (after {@code checklist:}) and details. */
    private record Audited(String target, Map<String, Object> details) {}

    /**
     * Makes a change and audits it as the API does; a refusal is shown on the checklist's page (with what was typed)
     * under the status the API would answer, and a forbidden one is audited as denied.
     */
    private boolean change(
            Context ctx, ChecklistModels.Typed typed, String action, String target, Supplier<Audited> c) {
        try {
            Audited done = c.get();
            RequestAudit.ok(audit, ctx, action, "checklist:" + done.target(), done.details());
            return true;
        } catch (ChecklistRefused e) {
            int status = switch (e.reason()) {
                case UNKNOWN -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
                case INVALID -> 400;
            };
            if (e.reason() == ChecklistRefused.Reason.FORBIDDEN) {
                audit.record(
                        Requests.principal(ctx).actor(),
                        Requests.client(ctx),
                        action,
                        "checklist:" + target,
                        AuditLog.DENIED,
                        Map.of("reason", e.getMessage()));
            }
            // the reason on top (the item's form may not be offered to this person), what was typed kept in its form
            detail(ctx, status, null, e.getMessage(), typed);
            return false;
        }
    }

    private static void done(Context ctx, String name, String what) {
        ctx.redirect("/checklists/" + OverviewQuery.encode(name) + "?done=" + what, HttpStatus.SEE_OTHER);
    }

    private static ChecklistModels.Rights rights(Context ctx) {
        Principal p = Requests.principal(ctx);
        return ChecklistModels.Rights.of(p.role(), p.name());
    }

    private static String field(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v;
    }
}
