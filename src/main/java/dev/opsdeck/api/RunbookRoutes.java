package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.auth.Principal;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.RunRefused;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.runbook.StepRun;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /api/v1/runbooks} and {@code /api/v1/runs}: the catalogue and runs (read); start, dry run, approve,
 * reject, cancel and resume (audited). Starting needs {@code operate}, or {@code respond} for a runbook marked
 * {@code responder_safe}; who may approve is the step's {@code role}, checked by the runbook service.
 */
public final class RunbookRoutes {
    private static final Set<String> START_FIELDS = Set.of("params", "incident_id", "dry_run");
    private static final Set<String> RESUME_FIELDS = Set.of("params", "from");
    private static final Set<String> DECISION_FIELDS = Set.of("reason");

    private final Runbooks runbooks;
    private final Access access;
    private final RunStream stream;

    public RunbookRoutes(Runbooks runbooks, Access access) {
        this.runbooks = runbooks;
        this.access = access;
        this.stream = new RunStream(runbooks);
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/runbooks", READ, this::list)
                .get("/api/v1/runbooks/{id}", READ, this::show)
                .post("/api/v1/runbooks/{id}/runs", RESPOND, this::start)
                .get("/api/v1/runs", READ, this::runs)
                .get("/api/v1/runs/{id}", READ, this::run)
                .get("/api/v1/runs/{id}/steps/{seq}/output", READ, this::output)
                .get("/api/v1/runs/{id}/events", READ, stream::handle)
                .post("/api/v1/runs/{id}/approve", RESPOND, ctx -> decide(ctx, true))
                .post("/api/v1/runs/{id}/reject", RESPOND, ctx -> decide(ctx, false))
                .post("/api/v1/runs/{id}/cancel", RESPOND, this::cancel)
                .post("/api/v1/runs/{id}/resume", RESPOND, this::resume);
        config.events.serverStopping(stream::close); // open streams would otherwise hold up the shutdown
    }

    private void list(Context ctx) {
        ctx.json(Map.of(
                "runbooks", runbooks.catalogue().stream().map(RunViews::entry).toList()));
    }

    private void show(Context ctx) {
        String id = ctx.pathParam("id");
        RunbookDef def = runbooks.runbook(id).orElseThrow(() -> ApiProblem.notFound("no runbook '" + id + "'"));
        Runbooks.Entry entry = runbooks.catalogue().stream()
                .filter(e -> e.def().id().equals(id))
                .findFirst()
                .orElseThrow();
        Map<String, Object> v = RunViews.definition(entry);
        v.put("recent_runs", runbooks.runs(id, 10).stream().map(Run::view).toList());
        ctx.json(v);
    }

    private void start(Context ctx) {
        JsonBody body = JsonBody.of(ctx, START_FIELDS);
        String id = ctx.pathParam("id");
        RunbookDef def = runbooks.runbook(id).orElseThrow(() -> ApiProblem.notFound("no runbook '" + id + "'"));
        Principal who = Requests.principal(ctx);
        mayRun(who, def);
        Map<String, String> params = body.textMap("params");
        Long incident = body.number("incident_id");
        if (Boolean.TRUE.equals(body.bool("dry_run"))) {
            Runbooks.Plan plan = refusals(() -> runbooks.plan(id, params));
            ctx.json(Map.of(
                    "dry_run",
                    true,
                    "runbook",
                    plan.runbook(),
                    "params",
                    plan.params(),
                    "steps",
                    plan.steps(),
                    "rollback",
                    plan.rollback()));
            return;
        }
        Run run = refusals(() -> runbooks.start(id, params, who.name(), incident));
        audit(
                ctx,
                "runbook.run",
                "run:" + run.id(),
                Map.of("runbook", id, "params", run.params(), "incident_id", incident == null ? "" : incident));
        ctx.status(201).json(run.view());
    }

    private void runs(Context ctx) {
        int limit = QueryParams.limit(ctx, 50, 500);
        ctx.json(Map.of(
                "runs",
                runbooks.runs(ctx.queryParam("runbook"), limit).stream()
                        .map(Run::view)
                        .toList()));
    }

    private void run(Context ctx) {
        Run run = find(ctx);
        List<StepRun> steps = runbooks.steps(run.id());
        Map<String, Object> v = run.view();
        v.put("steps", steps.stream().map(StepRun::view).toList());
        v.put(
                "metrics",
                RunViews.metrics(run, steps, runbooks.runbook(run.runbookId()).orElse(null)));
        v.put("pending_approval", runbooks.pendingApproval(run.id()).orElse(null));
        v.put("live_output", runbooks.liveOutput(run.id()));
        ctx.json(v);
    }

    private void output(Context ctx) {
        Run run = find(ctx);
        String seq = ctx.pathParam("seq");
        StepRun step = runbooks.steps(run.id()).stream()
                .filter(s -> String.valueOf(s.seq()).equals(seq))
                .findFirst()
                .orElseThrow(() -> ApiProblem.notFound("run " + run.id() + " has no step " + seq));
        String out = step.status() == StepRun.Status.RUNNING ? runbooks.liveOutput(run.id()) : step.output();
        ctx.contentType("text/plain; charset=utf-8").result(out == null ? "" : out);
    }

    private void decide(Context ctx, boolean approve) {
        String reason = JsonBody.of(ctx, DECISION_FIELDS).text("reason", false);
        Run run = find(ctx);
        Principal who = Requests.principal(ctx);
        Run after =
                refusals(() -> runbooks.approve(run.id(), new Runbooks.Actor(who.name(), who.role()), approve, reason));
        audit(
                ctx,
                approve ? "runbook.approve" : "runbook.reject",
                "run:" + run.id(),
                Map.of("step", String.valueOf(after.currentStep()), "reason", reason == null ? "" : reason));
        ctx.json(after.view());
    }

    private void cancel(Context ctx) {
        Run run = find(ctx);
        runbooks.runbook(run.runbookId()).ifPresent(def -> mayRun(Requests.principal(ctx), def));
        Run after =
                refusals(() -> runbooks.cancel(run.id(), Requests.principal(ctx).name()));
        audit(ctx, "runbook.cancel", "run:" + run.id(), Map.of("runbook", run.runbookId()));
        ctx.json(after.view());
    }

    private void resume(Context ctx) {
        JsonBody body = JsonBody.of(ctx, RESUME_FIELDS);
        Run run = find(ctx);
        RunbookDef def = runbooks.runbook(run.runbookId())
                .orElseThrow(() ->
                        new ApiProblem(409, "Conflict", "runbook " + run.runbookId() + " is no longer configured"));
        mayRun(Requests.principal(ctx), def);
        String from = body.text("from", false);
        if (from != null && !from.equals("step") && !from.equals("start")) {
            throw ApiProblem.badRequest("field 'from': expected step or start; got '" + from + "'");
        }
        Map<String, String> params = body.textMap("params");
        Run after = refusals(() -> runbooks.resume(
                run.id(), "start".equals(from), params, Requests.principal(ctx).name()));
        audit(ctx, "runbook.resume", "run:" + run.id(), Map.of("from", from == null ? "step" : from));
        ctx.json(after.view());
    }

    private Run find(Context ctx) {
        String id = ctx.pathParam("id");
        return runbooks.find(id).orElseThrow(() -> ApiProblem.notFound("no run '" + id + "'"));
    }

    /** Runbooks run commands on production: operate, unless the runbook is marked responder_safe. */
    private static void mayRun(Principal who, RunbookDef def) {
        if (who.role() == null || !who.role().includes(Runbooks.startRole(def))) {
            throw new ApiProblem(
                    403, "Forbidden", "runbook " + def.id() + " needs the operator role (it is not responder_safe)");
        }
    }

    private void audit(Context ctx, String action, String target, Map<String, Object> details) {
        access.audit()
                .record(
                        Requests.principal(ctx).actor(),
                        Requests.client(ctx),
                        action,
                        target,
                        "ok",
                        new LinkedHashMap<>(details));
    }

    private static <T> T refusals(Supplier<T> work) {
        try {
            return work.get();
        } catch (RunRefused e) {
            throw switch (e.reason()) {
                case INVALID -> ApiProblem.badRequest(e.getMessage());
                case NOT_FOUND -> ApiProblem.notFound(e.getMessage());
                case CONFLICT -> new ApiProblem(409, "Conflict", e.getMessage());
                case FORBIDDEN -> new ApiProblem(403, "Forbidden", e.getMessage());
            };
        }
    }
}
