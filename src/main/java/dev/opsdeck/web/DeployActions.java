package dev.opsdeck.web;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployRefused;
import dev.opsdeck.deploy.DeployState;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.web.DeployModels.StartForm;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deploy forms: start, roll back, approve or reject, cancel. Plain POSTs with the CSRF token (the gate checks it
 * and the permission: {@code operate} to deploy, roll back and cancel, {@code respond} to approve, as in the API); they
 * make the same calls and write the same audit entries as {@code api.DeployRoutes}. A success answers 303 to the
 * deploy's page; a refusal shows the form again with the engine's message and the status the API would answer.
 */
final class DeployActions {
    private static final int REASON_LIMIT = 2_000;

    private final Deploys deploys;
    private final DeployPages pages;
    private final AuditLog audit;

    DeployActions(Deploys deploys, DeployPages pages, AuditLog audit) {
        this.deploys = deploys;
        this.pages = pages;
        this.audit = audit;
    }

    void start(Context ctx) {
        String service = field(ctx, "service");
        String version = field(ctx, "version");
        String reason = field(ctx, "reason");
        boolean override = "on".equals(ctx.formParam("override_freeze"));
        Principal who = Requests.principal(ctx);
        if (reason.length() > REASON_LIMIT) {
            refuseStart(
                    ctx,
                    400,
                    service,
                    version,
                    reason,
                    "A reason can be at most " + REASON_LIMIT + " characters.",
                    override);
            return;
        }
        Deploy d;
        try {
            d = deploys.start(
                    service,
                    version,
                    new Deploys.Request(
                            who.actor(), who.role(), reason.isEmpty() ? null : reason, override, null, null, null));
        } catch (DeployRefused e) {
            boolean frozen = e.reason() == DeployRefused.Reason.FROZEN || override;
            refuseStart(ctx, status(e), service, version, reason, sentence(e.getMessage()), frozen);
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploy", d.id());
        details.put("version", version);
        if (d.reason() != null) details.put("reason", d.reason());
        if (deploys.evidence(d.id(), 0).stream().anyMatch(e -> e.name().equals("freeze")))
            record(ctx, "deploy.freeze_override", service, details);
        record(ctx, "deploy.start", service, details);
        ctx.redirect("/deploys/" + d.id(), HttpStatus.SEE_OTHER);
    }

    private void refuseStart(
            Context ctx, int status, String service, String version, String reason, String error, boolean frozen) {
        pages.list(ctx, status, new StartForm(pages.deployable(), service, version, reason, error, frozen), null);
    }

    /** From the change log, or from a deploy's page when the form names it in {@code back}. */
    void rollback(Context ctx) {
        String service = field(ctx, "service");
        String to = field(ctx, "to");
        String reason = field(ctx, "reason");
        String back = field(ctx, "back");
        String from = back.isEmpty() || deploys.find(back).isEmpty() ? null : back;
        Principal who = Requests.principal(ctx);
        Deploy d;
        try {
            if (reason.length() > REASON_LIMIT)
                throw new DeployRefused(
                        DeployRefused.Reason.INVALID, "a reason can be at most " + REASON_LIMIT + " characters");
            d = deploys.rollback(
                    service,
                    to.isEmpty() ? null : to,
                    new Deploys.Request(
                            who.actor(), who.role(), reason.isEmpty() ? null : reason, false, null, null, null));
        } catch (DeployRefused e) {
            String error = sentence(e.getMessage());
            var form = pages.rollbackForm(service, to, reason, error)
                    .orElse(DeployModels.rollback(service, List.of(), to, reason, error));
            if (from != null) pages.one(ctx, from, status(e), null, form);
            else pages.list(ctx, status(e), null, form);
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploy", d.id());
        details.put("version", d.version());
        if (d.rollbackOf() != null) details.put("rollback_of", d.rollbackOf());
        if (d.reason() != null) details.put("reason", d.reason());
        record(ctx, "deploy.rollback", service, details);
        ctx.redirect("/deploys/" + d.id(), HttpStatus.SEE_OTHER);
    }

    void decide(Context ctx, boolean approve) {
        String id = ctx.pathParam("id");
        String reason = field(ctx, "reason");
        Principal who = Requests.principal(ctx);
        Deploy d;
        try {
            if (reason.length() > REASON_LIMIT)
                throw new DeployRefused(
                        DeployRefused.Reason.INVALID, "a reason can be at most " + REASON_LIMIT + " characters");
            d = deploys.approve(
                    id, new Runbooks.Actor(who.actor(), who.role()), approve, reason.isEmpty() ? null : reason);
        } catch (DeployRefused e) {
            if (e.reason() == DeployRefused.Reason.FORBIDDEN) {
                audit.record(
                        who.actor(),
                        Requests.client(ctx),
                        "deploy.approve",
                        "deploy:" + id,
                        AuditLog.DENIED,
                        Map.of("reason", e.getMessage()));
            }
            pages.one(ctx, id, status(e), sentence(e.getMessage()), null);
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploy", d.id());
        details.put("approved", d.state() != DeployState.CANCELLED);
        if (!reason.isEmpty()) details.put("reason", reason);
        record(ctx, "deploy.approve", d.service(), details);
        ctx.redirect("/deploys/" + d.id(), HttpStatus.SEE_OTHER);
    }

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        Deploy d;
        try {
            d = deploys.cancel(id, Requests.principal(ctx).actor());
        } catch (DeployRefused e) {
            pages.one(ctx, id, status(e), sentence(e.getMessage()), null);
            return;
        }
        record(ctx, "deploy.cancel", d.service(), Map.of("deploy", d.id()));
        ctx.redirect("/deploys/" + d.id(), HttpStatus.SEE_OTHER);
    }

    // ---- helpers ----

    private static String field(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.strip();
    }

    /** The audit entry the JSON API writes for the same change, so both paths read alike in the log. */
    private void record(Context ctx, String action, String service, Map<String, Object> details) {
        audit.record(
                Requests.principal(ctx).actor(),
                Requests.client(ctx),
                action,
                "service:" + service,
                AuditLog.OK,
                new LinkedHashMap<>(details));
    }

    /** The status the API answers for the same refusal. */
    private static int status(DeployRefused e) {
        return switch (e.reason()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT, FROZEN -> 409;
            case INVALID -> 400;
        };
    }

    /** The engine's messages are clauses ("deploys of api are frozen: ..."); on a page they read as a sentence. */
    private static String sentence(String message) {
        if (message == null || message.isEmpty()) return "";
        String s = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
