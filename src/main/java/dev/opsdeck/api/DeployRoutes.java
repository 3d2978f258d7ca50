package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.DEPLOY_RECORD;
import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployRefused;
import dev.opsdeck.deploy.DeployState;
import dev.opsdeck.deploy.DeployStore;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.deploy.Dora;
import dev.opsdeck.deploy.Evidence;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.runbook.Runbooks;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * {@code /api/v1/deploys}: the change log with filters and paging, one deploy with its evidence (read); start a
 * deploy of a service, roll it back, cancel ({@code operate}); approve or reject ({@code respond}, and the role the
 * service's {@code deploy.approval} names); record what a CI tool did ({@code deploy_record}). Every change is
 * audited ({@code deploy.start}, {@code deploy.freeze_override}, {@code deploy.rollback}, {@code deploy.cancel},
 * {@code deploy.approve}, {@code deploy.record}); a refused approval too. {@code GET /api/v1/deploys/{id}/events}
 * follows one deploy as server-sent events ({@link DeployStream}).
 */
public final class DeployRoutes {
    private static final Set<String> STATES = Set.of(
            "pending", "running", "verifying", "succeeded", "failed", "rolled_back", "rollback_failed", "cancelled");
    /** The longest window {@code GET /api/v1/deploys/dora} computes over, in days. */
    static final int MAX_DORA_DAYS = 365;

    private final Deploys deploys;
    private final IntFunction<Dora.Result> dora;
    private final AuditLog audit;
    private final DeployStream stream;

    /** {@code dora}: the DORA figures of the production deploys of the last so many days. */
    public DeployRoutes(Deploys deploys, IntFunction<Dora.Result> dora, AuditLog audit) {
        this.deploys = deploys;
        this.dora = dora;
        this.audit = audit;
        this.stream = new DeployStream(deploys);
    }

    public void register(JavalinConfig config) {
        config.routes.exception(DeployRefused.class, (e, ctx) -> {
            int status = switch (e.reason()) {
                case NOT_FOUND -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT, FROZEN -> 409;
                case INVALID -> 400;
            };
            ProblemHandlers.write(ctx, status, HttpStatus.forStatus(status).getMessage(), e.getMessage());
        });
        new SecuredRoutes(config)
                .get("/api/v1/deploys", READ, this::list)
                .post("/api/v1/deploys", DEPLOY_RECORD, this::record)
                .get("/api/v1/deploys/dora", READ, this::dora)
                .get("/api/v1/deploys/{id}", READ, this::show)
                .get("/api/v1/deploys/{id}/events", READ, stream::handle)
                .post("/api/v1/deploys/{id}/cancel", OPERATE, this::cancel)
                .post("/api/v1/deploys/{id}/approve", RESPOND, this::approve)
                .get("/api/v1/services/{name}/versions", READ, this::versions)
                .post("/api/v1/services/{name}/deploys", OPERATE, this::start)
                .post("/api/v1/services/{name}/rollback", OPERATE, this::rollback);
        config.events.serverStopping(stream::close); // open streams would otherwise hold up the shutdown
    }

    /** The DORA figures over {@code days} (default 30), overall and per service, or of one {@code service}. */
    private void dora(Context ctx) {
        String daysText = ctx.queryParam("days");
        int days = 30;
        if (daysText != null) {
            try {
                days = Integer.parseInt(daysText);
            } catch (NumberFormatException e) {
                days = -1;
            }
            if (days < 1 || days > MAX_DORA_DAYS)
                throw ApiProblem.badRequest("days: expected a whole number from 1 to " + MAX_DORA_DAYS);
        }
        String service = ctx.queryParam("service");
        Dora.Result r = dora.apply(days);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", Instant.ofEpochMilli(r.window().fromMs()).toString());
        out.put("to", Instant.ofEpochMilli(r.window().toMs()).toString());
        out.put("days", days);
        out.put("failure_window_seconds", r.window().failureWindow().toSeconds());
        if (service == null) {
            out.put("overall", figures(r.overall()));
            Map<String, Object> by = new LinkedHashMap<>();
            r.byService().forEach((name, f) -> by.put(name, figures(f)));
            out.put("services", by);
        } else {
            out.put("service", service);
            Dora.Figures f = r.byService().get(service);
            // a service without deploys in the window has no figures: zeros and nulls, like the overall ones then
            out.put(
                    "figures",
                    figures(
                            f != null
                                    ? f
                                    : Dora.compute(List.of(), List.of(), r.window())
                                            .overall()));
        }
        out.put(
                "failures",
                r.failures().stream()
                        .filter(x -> service == null || service.equals(x.service()))
                        .map(x -> Map.of("deploy", x.deployId(), "service", x.service(), "reasons", x.reasons()))
                        .toList());
        ctx.json(out);
    }

    static Map<String, Object> figures(Dora.Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deploys", f.deploys());
        m.put("succeeded", f.succeeded());
        m.put("per_day", f.perDay());
        m.put("per_week", f.perWeek());
        m.put("lead_time", spread(f.leadTime()));
        m.put("change_failures", f.changeFailures());
        m.put("change_failure_rate", f.changeFailureRate());
        m.put("recovery", spread(f.recovery()));
        m.put("unrecovered", f.unrecovered());
        m.put("rework", f.rework());
        m.put("rework_rate", f.reworkRate());
        m.put("in_flight", f.inFlight());
        return m;
    }

    private static Map<String, Object> spread(Dora.Spread s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", s.samples());
        m.put("median_seconds", s.medianMs() == null ? null : s.medianMs() / 1000.0);
        m.put("p90_seconds", s.p90Ms() == null ? null : s.p90Ms() / 1000.0);
        return m;
    }

    private void list(Context ctx) {
        String state = ctx.queryParam("state");
        if (state != null && !STATES.contains(state))
            throw ApiProblem.badRequest("state: expected one of "
                    + String.join(", ", STATES.stream().sorted().toList()));
        String source = ctx.queryParam("source");
        if (source != null && !Set.of(Deploy.SOURCE_OPSDECK, Deploy.SOURCE_CI).contains(source))
            throw ApiProblem.badRequest("source: expected opsdeck or ci");
        int limit = QueryParams.limit(ctx, 50, 1000);
        int offset = offset(ctx);
        var list = deploys.list(new DeployStore.Filter(
                ctx.queryParam("service"), state, source, ctx.queryParam("environment"), limit + 1, offset));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deploys", list.stream().limit(limit).map(Deploy::view).toList());
        out.put("next_offset", list.size() > limit ? offset + limit : null);
        ctx.json(out);
    }

    private void show(Context ctx) {
        String id = ctx.pathParam("id");
        Deploy d = deploys.find(id)
                .orElseThrow(() -> new DeployRefused(DeployRefused.Reason.NOT_FOUND, "no deploy '" + clip(id) + "'"));
        int after = 0;
        String a = ctx.queryParam("after");
        if (a != null) {
            try {
                after = Integer.parseInt(a);
            } catch (NumberFormatException e) {
                throw ApiProblem.badRequest("after: expected an evidence line number, got '" + clip(a) + "'");
            }
        }
        Map<String, Object> v = d.view();
        v.put(
                "evidence",
                deploys.evidence(id, after).stream().map(Evidence::view).toList());
        v.put(
                "awaiting_approval",
                deploys.pendingApproval(d)
                        .map(p -> Map.of("role", p.role(), "four_eyes", p.fourEyes()))
                        .orElse(null));
        ctx.json(v);
    }

    private void start(Context ctx) {
        String service = ctx.pathParam("name");
        JsonBody body =
                JsonBody.of(ctx, Set.of("version", "reason", "override_freeze", "description", "link", "commit_at"));
        String version = body.text("version", true);
        Boolean override = body.bool("override_freeze");
        Principal who = Requests.principal(ctx);
        Deploys.Request req = new Deploys.Request(
                who.actor(),
                who.role(),
                body.text("reason", false),
                override != null && override,
                body.text("description", false),
                body.text("link", false),
                time(body, "commit_at"));
        Deploy d = deploys.start(service, version, req);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploy", d.id());
        details.put("version", version);
        if (req.reason() != null) details.put("reason", req.reason());
        boolean overridden =
                deploys.evidence(d.id(), 0).stream().anyMatch(e -> e.name().equals("freeze"));
        if (overridden) audit(ctx, "deploy.freeze_override", service, details);
        audit(ctx, "deploy.start", service, details);
        ctx.status(202).json(d.view());
    }

    private void rollback(Context ctx) {
        String service = ctx.pathParam("name");
        JsonBody body = JsonBody.of(ctx, Set.of("to", "reason"));
        String to = body.text("to", false);
        Principal who = Requests.principal(ctx);
        Deploys.Request req =
                new Deploys.Request(who.actor(), who.role(), body.text("reason", false), false, null, null, null);
        Deploy d = deploys.rollback(service, to, req);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploy", d.id());
        details.put("version", d.version());
        if (d.rollbackOf() != null) details.put("rollback_of", d.rollbackOf());
        if (req.reason() != null) details.put("reason", req.reason());
        audit(ctx, "deploy.rollback", service, details);
        ctx.status(202).json(d.view());
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        JsonBody.of(ctx, Set.of());
        Deploy d = deploys.cancel(id, Requests.principal(ctx).actor());
        audit(ctx, "deploy.cancel", d.service(), Map.of("deploy", d.id()));
        ctx.json(d.view());
    }

    private void approve(Context ctx) {
        String id = ctx.pathParam("id");
        JsonBody body = JsonBody.of(ctx, Set.of("approved", "reason"));
        Boolean approved = body.bool("approved");
        String reason = body.text("reason", false);
        Principal who = Requests.principal(ctx);
        Deploy d;
        try {
            d = deploys.approve(id, new Runbooks.Actor(who.actor(), who.role()), approved == null || approved, reason);
        } catch (DeployRefused e) {
            if (e.reason() == DeployRefused.Reason.FORBIDDEN) {
                audit.record(
                        who.actor(),
                        Requests.client(ctx),
                        "deploy.approve",
                        "deploy:" + clip(id),
                        AuditLog.DENIED,
                        Map.of("reason", e.getMessage()));
            }
            throw e;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploy", d.id());
        details.put("approved", d.state() != DeployState.CANCELLED);
        if (reason != null) details.put("reason", reason);
        audit(ctx, "deploy.approve", d.service(), details);
        ctx.json(d.view());
    }

    private void versions(Context ctx) {
        String service = ctx.pathParam("name");
        ctx.json(Map.of(
                "service",
                service,
                "versions",
                deploys.versions(service, QueryParams.limit(ctx, 10, 100)).stream()
                        .map(v -> Map.of(
                                "version",
                                v.version(),
                                "deploy_id",
                                v.deployId(),
                                "at",
                                Instant.ofEpochMilli(v.atMs()).toString(),
                                "actor",
                                v.actor()))
                        .toList()));
    }

    /** A CI tool's report: all fields checked before anything is stored, so a malformed one stores nothing. */
    private void record(Context ctx) {
        JsonBody body = JsonBody.of(
                ctx,
                Set.of(
                        "external_id",
                        "service",
                        "environment",
                        "version",
                        "state",
                        "started_at",
                        "finished_at",
                        "commit_at",
                        "description",
                        "link"));
        Principal who = Requests.principal(ctx);
        Deploys.Report r = new Deploys.Report(
                body.text("external_id", true),
                body.text("service", true),
                body.text("environment", false),
                body.text("version", true),
                body.text("state", true),
                time(body, "started_at"),
                time(body, "finished_at"),
                time(body, "commit_at"),
                body.text("description", false),
                body.text("link", false),
                who.actor());
        Deploys.Recorded rec = deploys.record(r);
        audit(
                ctx,
                "deploy.record",
                rec.deploy().service(),
                Map.of(
                        "deploy", rec.deploy().id(),
                        "external_id", r.externalId(),
                        "version", r.version(),
                        "state", r.state()));
        ctx.status(rec.created() ? 201 : 200).json(rec.deploy().view());
    }

    private static Long time(JsonBody body, String field) {
        String s = body.text(field, false);
        if (s == null) return null;
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("field '" + field
                    + "': expected an ISO-8601 UTC time such as 2026-12-07T20:15:00Z, got '" + clip(s) + "'");
        }
    }

    private static int offset(Context ctx) {
        String s = ctx.queryParam("offset");
        if (s == null) return 0;
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.badRequest("offset: expected a whole number from 0; got '" + clip(s) + "'");
    }

    private void audit(Context ctx, String action, String service, Map<String, Object> details) {
        audit.record(
                Requests.principal(ctx).actor(),
                Requests.client(ctx),
                action,
                "service:" + service,
                AuditLog.OK,
                new LinkedHashMap<>(details));
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
