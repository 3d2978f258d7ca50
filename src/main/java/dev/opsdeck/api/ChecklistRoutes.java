package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.CHECKLIST_ATTEST;
import static dev.opsdeck.auth.Permission.CHECKLIST_RUN;
import static dev.opsdeck.auth.Permission.CHECKLIST_WAIVE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.checklist.ChecklistRefused;
import dev.opsdeck.checklist.ChecklistReport;
import dev.opsdeck.checklist.ChecklistRun;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/checklists}: the checklists with score and state, one with its items, evidence and history, the
 * signed-off export (read); run one now ({@code checklist_run}), attest a manual item ({@code checklist_attest}),
 * request and approve waivers ({@code checklist_waive}). Every change is audited ({@code checklist.run},
 * {@code checklist.attest}, {@code checklist.waiver_request}, {@code checklist.waiver_approve}), refusals too.
 */
public final class ChecklistRoutes {
    private final Checklists checklists;
    private final AuditLog audit;
    private final Clock clock;

    public ChecklistRoutes(Checklists checklists, AuditLog audit, Clock clock) {
        this.checklists = checklists;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.exception(ChecklistRefused.class, (e, ctx) -> {
            int status = switch (e.reason()) {
                case UNKNOWN -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
                case INVALID -> 400;
            };
            ProblemHandlers.write(
                    ctx, status, io.javalin.http.HttpStatus.forStatus(status).getMessage(), e.getMessage());
        });
        new SecuredRoutes(config)
                .get("/api/v1/checklists", READ, this::list)
                .get("/api/v1/checklists/{name}", READ, this::show)
                .get("/api/v1/checklists/{name}/runs", READ, this::runs)
                .get("/api/v1/checklists/{name}/export", READ, this::export)
                .get("/api/v1/checklists/{name}/items/{id}/history", READ, this::history)
                .post("/api/v1/checklists/{name}/run", CHECKLIST_RUN, this::run)
                .post("/api/v1/checklists/{name}/items/{id}/attest", CHECKLIST_ATTEST, this::attest)
                .post("/api/v1/checklists/{name}/items/{id}/waivers", CHECKLIST_WAIVE, this::requestWaiver)
                .post("/api/v1/checklists/{name}/waivers/{id}/approve", CHECKLIST_WAIVE, this::approve);
    }

    private void list(Context ctx) {
        ctx.json(Map.of(
                "checklists",
                checklists.list().stream().map(ChecklistReport::summary).toList()));
    }

    private void show(Context ctx) {
        ctx.json(ChecklistReport.detail(checklists.show(ctx.pathParam("name")), clock.millis()));
    }

    private void runs(Context ctx) {
        ctx.json(Map.of(
                "runs",
                checklists.runs(ctx.pathParam("name"), QueryParams.limit(ctx, 50, 1000)).stream()
                        .map(ChecklistRun::view)
                        .toList()));
    }

    private void history(Context ctx) {
        ctx.json(Map.of(
                "history",
                checklists
                        .history(ctx.pathParam("name"), ctx.pathParam("id"), QueryParams.limit(ctx, 50, 1000))
                        .stream()
                        .map(ItemResult::view)
                        .toList()));
    }

    private void export(Context ctx) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!Set.of("json", "md").contains(format))
            throw ApiProblem.badRequest("format: expected md or json, got '" + clip(format) + "'");
        Checklists.Detail d = checklists.show(ctx.pathParam("name"));
        String by = Requests.principal(ctx).actor();
        if (format.equals("md")) {
            ctx.contentType("text/markdown; charset=utf-8").result(ChecklistReport.markdown(d, by, clock.millis()));
        } else {
            ctx.json(ChecklistReport.json(d, by, clock.millis()));
        }
    }

    private void run(Context ctx) {
        String name = ctx.pathParam("name");
        JsonBody.of(ctx, Set.of()); // no fields; a malformed body is still refused
        Principal who = Requests.principal(ctx);
        Checklists.Report r = checklists.run(name, ChecklistRun.MANUAL, who.name());
        audit(ctx, "checklist.run", name, r.run().auditDetails());
        Map<String, Object> v = r.run().view();
        v.put("items", r.results().stream().map(ItemResult::view).toList());
        ctx.json(v);
    }

    private void attest(Context ctx) {
        String name = ctx.pathParam("name"), item = ctx.pathParam("id");
        String note = JsonBody.of(ctx, Set.of("note")).text("note", true);
        Principal who = Requests.principal(ctx);
        var a = refusalsAudited(
                ctx,
                "checklist.attest",
                name + "/" + item,
                () -> checklists.attesting().attest(name, item, note, who.name(), who.role()));
        audit(ctx, "checklist.attest", name + "/" + item, Map.of("attestation", a.id(), "expires_ms", a.expiresMs()));
        Checklists.Report r = checklists.run(name, ChecklistRun.MANUAL, who.name()); // the page shows it at once
        Map<String, Object> v = a.view();
        v.put("checklist_state", r.run().state());
        v.put("score", r.run().score());
        ctx.status(201).json(v);
    }

    private void requestWaiver(Context ctx) {
        String name = ctx.pathParam("name"), item = ctx.pathParam("id");
        JsonBody body = JsonBody.of(ctx, Set.of("reason", "expires"));
        String reason = body.text("reason", true);
        String expires = body.text("expires", true);
        Duration parsed;
        try {
            parsed = Units.duration(expires);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        Duration holds = parsed;
        if (holds == null) // "forever", "soon": not a duration
        throw ApiProblem.badRequest("field 'expires': expected a duration such as 30d, got '" + clip(expires) + "'");
        Principal who = Requests.principal(ctx);
        var w = refusalsAudited(
                ctx,
                "checklist.waiver_request",
                name + "/" + item,
                () -> checklists.attesting().request(name, item, reason, holds, who.name()));
        audit(
                ctx,
                "checklist.waiver_request",
                name + "/" + item,
                Map.of("waiver", w.id(), "expires_ms", w.expiresMs()));
        ctx.status(201).json(w.view(clock.millis()));
    }

    private void approve(Context ctx) {
        String name = ctx.pathParam("name"), id = ctx.pathParam("id");
        JsonBody.of(ctx, Set.of());
        Principal who = Requests.principal(ctx);
        var w = refusalsAudited(
                ctx,
                "checklist.waiver_approve",
                name + "/" + clip(id),
                () -> checklists.attesting().approve(name, id, who.name()));
        audit(ctx, "checklist.waiver_approve", name + "/" + w.itemId(), Map.of("waiver", w.id()));
        Checklists.Report r = checklists.run(name, ChecklistRun.MANUAL, who.name());
        Map<String, Object> v = w.view(clock.millis());
        v.put("checklist_state", r.run().state());
        v.put("score", r.run().score());
        ctx.json(v);
    }

    /** Runs a change; a refusal (a viewer attesting, a requester approving) is audited as denied, then answered. */
    private <T> T refusalsAudited(Context ctx, String action, String target, java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (ChecklistRefused e) {
            if (e.reason() == ChecklistRefused.Reason.FORBIDDEN) {
                audit.record(
                        Requests.principal(ctx).actor(),
                        Requests.client(ctx),
                        action,
                        "checklist:" + target,
                        AuditLog.DENIED,
                        Map.of("reason", e.getMessage()));
            }
            throw e;
        }
    }

    private void audit(Context ctx, String action, String target, Map<String, Object> details) {
        audit.record(
                Requests.principal(ctx).actor(),
                Requests.client(ctx),
                action,
                "checklist:" + target,
                AuditLog.OK,
                new LinkedHashMap<>(details));
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
