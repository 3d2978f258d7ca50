package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookParam;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.RunRefused;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.runbook.StepRun;
import dev.opsdeck.web.RunbookModels.Approval;
import dev.opsdeck.web.RunbookModels.CataloguePage;
import dev.opsdeck.web.RunbookModels.Entry;
import dev.opsdeck.web.RunbookModels.RunPage;
import dev.opsdeck.web.RunbookModels.StepRow;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /runbooks} (the catalogue, with a start form per runbook) and {@code /runs/{id}} (one run: its steps against
 * their targets, output, approve/reject, cancel, resume; live through {@code /api/v1/runs/{id}/events}). The forms
 * make the same calls, permission checks and audit entries as the JSON API ({@code api.RunbookRoutes}).
 */
public final class RunbookPages {
    private static final int RECENT_RUNS = 20;
    private static final int REASON_LIMIT = 2_000;
    /** Past this many characters a step's output on the page is cut (the whole stays in the API and the stream). */
    static final int PAGE_OUTPUT_LIMIT = 200_000;

    private final Runbooks runbooks;
    private final IncidentManager incidents;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final PageTemplates templates = new PageTemplates();
    private final RunbookChoices choices;

    public RunbookPages(Runbooks runbooks, IncidentManager incidents, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.runbooks = runbooks;
        this.choices = new RunbookChoices(runbooks);
        this.incidents = incidents;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Runbooks", "/runbooks", READ, 60);
        new SecuredRoutes(config)
                .get("/runbooks", READ, ctx -> catalogue(ctx, 200, null, Map.of(), null))
                .post("/runbooks/{id}/start", RESPOND, this::start)
                .get("/runs/{id}", READ, ctx -> run(ctx, 200, null))
                .post("/runs/{id}/approve", RESPOND, ctx -> decide(ctx, true))
                .post("/runs/{id}/reject", RESPOND, ctx -> decide(ctx, false))
                .post("/runs/{id}/cancel", RESPOND, this::cancel)
                .post("/runs/{id}/resume", RESPOND, this::resume);
    }

    /** Who may start, cancel and resume runs of {@code def}: the same rule as the API. */
    static boolean mayStart(Principal who, RunbookDef def) {
        return who.role() != null && who.role().includes(Runbooks.startRole(def));
    }

    // ---- the catalogue ----

    /** {@code failed}/{@code sent}/{@code error}: the form that was refused, what it held and why. */
    private void catalogue(Context ctx, int status, String failed, Map<String, String> sent, String error) {
        Principal who = Requests.principal(ctx);
        long now = clock.millis();
        Long incidentId =
                number(ctx.queryParam("incident") != null ? ctx.queryParam("incident") : ctx.formParam("incident_id"));
        String only = ctx.queryParam("runbook");
        String incidentTitle = null;
        List<String> offered = null;
        if (incidentId != null) {
            Optional<IncidentManager.Detail> d = incidents.detail(incidentId);
            if (d.isEmpty()) {
                incidentId = null;
            } else {
                incidentTitle = d.get().incident().title();
                offered = choices.of(d.get(), d.get().incident().runbook()).stream()
                        .map(RunbookModels.Choice::id)
                        .toList();
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Runbooks.Entry e : runbooks.catalogue()) {
            String id = e.def().id();
            if (offered != null && !offered.contains(id) && !id.equals(failed)) continue;
            if (only != null && !only.equals(id) && !id.equals(failed)) continue;
            boolean refused = id.equals(failed);
            Entry entry = RunbookModels.entry(
                    e, now, mayStart(who, e.def()), refused ? sent : Map.of(), refused ? error : null);
            entries.add(only != null && only.equals(id) ? withOpen(entry) : entry);
        }
        if (offered != null) { // in the order the incident page offers them
            List<String> order = offered;
            entries.sort(
                    Comparator.comparingInt(x -> order.indexOf(x.id()) < 0 ? order.size() : order.indexOf(x.id())));
        }
        List<RunbookModels.RunRow> recent = runbooks.runs(null, RECENT_RUNS).stream()
                .filter(r -> r.parentRun() == null)
                .map(RunbookModels::row)
                .toList();
        Dashboard.html(
                ctx,
                status,
                templates.render(
                        "runbooks.jte",
                        new CataloguePage(
                                Viewer.of(ctx),
                                assets.css(),
                                assets.icon(),
                                entries,
                                recent,
                                incidentId,
                                incidentTitle)));
    }

    private static Entry withOpen(Entry e) {
        return new Entry(
                e.id(),
                e.title(),
                e.services(),
                e.lastTested(),
                e.untested(),
                e.target(),
                e.steps(),
                e.startRole(),
                e.canStart(),
                e.fields(),
                e.error(),
                true);
    }

    private void start(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<RunbookDef> def = runbooks.runbook(id);
        if (def.isEmpty()) {
            catalogue(ctx, 404, null, Map.of(), null);
            return;
        }
        Principal who = Requests.principal(ctx);
        if (!mayStart(who, def.get())) {
            catalogue(
                    ctx,
                    403,
                    id,
                    Map.of(),
                    "Runbook " + id + " needs the "
                            + Runbooks.startRole(def.get()).label() + " role to start; you have "
                            + who.role().label() + ".");
            return;
        }
        Map<String, String> params = params(ctx, def.get());
        String incidentText = ctx.formParam("incident_id");
        Long incident = number(incidentText);
        if (incidentText != null
                && !incidentText.isBlank()
                && (incident == null || incidents.detail(incident).isEmpty())) {
            catalogue(ctx, 400, id, params, "There is no incident #" + incidentText.strip() + " to link the run to.");
            return;
        }
        try {
            Run run = runbooks.start(id, params, who.name(), incident);
            record(
                    ctx,
                    "runbook.run",
                    run.id(),
                    Map.of("runbook", id, "params", run.params(), "incident_id", incident == null ? "" : incident));
            ctx.redirect("/runs/" + run.id(), HttpStatus.SEE_OTHER);
        } catch (RunRefused e) {
            catalogue(ctx, status(e), id, params, sentence(e.getMessage()));
        }
    }

    /** The form's {@code param.NAME} fields; an empty field is not given, so the default applies. */
    private static Map<String, String> params(Context ctx, RunbookDef def) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RunbookParam p : def.params()) {
            String v = ctx.formParam("param." + p.name());
            if (v != null && !v.isEmpty()) out.put(p.name(), v);
        }
        return out;
    }

    // ---- one run ----

    private void run(Context ctx, int status, String error) {
        String id = ctx.pathParam("id");
        Optional<Runbooks.Snapshot> found = runbooks.snapshot(id);
        if (found.isEmpty()) {
            Dashboard.html(
                    ctx,
                    404,
                    templates.render(
                            "run_missing.jte",
                            Map.of("viewer", Viewer.of(ctx), "css", assets.css(), "icon", assets.icon(), "id", id)));
            return;
        }
        Dashboard.html(ctx, status, templates.render("run.jte", page(ctx, found.get(), error)));
    }

    private RunPage page(Context ctx, Runbooks.Snapshot snap, String error) {
        Run run = snap.run();
        Principal who = Requests.principal(ctx);
        Optional<RunbookDef> def = runbooks.runbook(run.runbookId());
        List<StepRow> rows = new ArrayList<>();
        int cursorSeq = 0;
        int cursorOffset = 0;
        for (StepRun s : snap.steps()) {
            boolean running = s.status() == StepRun.Status.RUNNING || s.status() == StepRun.Status.WAITING;
            String text = running
                    ? (Integer.valueOf(s.seq()).equals(snap.liveSeq()) ? snap.liveText() : "")
                    : s.output() == null ? "" : s.output();
            // as the event stream does: complete lines only while a step runs, so the stream goes on where this ends
            String shown = running ? text.substring(0, text.lastIndexOf('\n') + 1) : text;
            cursorSeq = s.seq();
            cursorOffset = shown.length();
            if (shown.length() > PAGE_OUTPUT_LIMIT) {
                shown = shown.substring(0, PAGE_OUTPUT_LIMIT) + "\n[" + (shown.length() - PAGE_OUTPUT_LIMIT)
                        + " more characters: see the step's output in the API]";
            }
            rows.add(RunbookModels.step(s, shown));
        }
        Map<String, Object> pending = runbooks.pendingApproval(run.id()).orElse(null);
        Approval approval = pending == null
                ? null
                : new Approval(
                        String.valueOf(pending.get("step")),
                        String.valueOf(pending.get("role")),
                        Boolean.TRUE.equals(pending.get("four_eyes")),
                        pending.get("prompt") == null ? "" : String.valueOf(pending.get("prompt")));
        boolean mayRun = def.map(d -> mayStart(who, d)).orElse(false);
        Long total = run.durationMs();
        String rtoMet = run.rtoMet() == null ? "" : run.rtoMet() ? "yes" : "no";
        List<String> secrets = def.map(d -> d.params().stream()
                        .filter(RunbookParam::secret)
                        .map(RunbookParam::name)
                        .toList())
                .orElse(List.of());
        String params = run.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return new RunPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                assets.run(),
                run.id(),
                run.runbookId(),
                def.map(RunbookDef::title).orElse("(no longer configured)"),
                run.statusText(),
                RunbookModels.pill(run.status()),
                run.startedBy(),
                run.incidentId(),
                params.isEmpty() ? "none" : params,
                run.startedMs() == null ? "not yet" : Format.utc(run.startedMs()),
                run.endedMs() == null ? "" : Format.utc(run.endedMs()),
                run.message() == null ? "" : run.message(),
                rows,
                run.status().active() && run.startedMs() != null ? "running" : RunbookModels.duration(total),
                RunbookModels.duration(run.targetMs()),
                rtoMet,
                def.map(d -> !d.hash().equals(run.definitionHash())).orElse(false),
                approval,
                RESPOND.allows(who.role()),
                run.status().active() && mayRun,
                !run.status().active() && run.status() != Run.Status.SUCCEEDED && mayRun,
                secrets,
                error,
                cursorSeq + ":" + cursorOffset,
                run.status().active());
    }

    private void decide(Context ctx, boolean approve) {
        String id = ctx.pathParam("id");
        if (pathRun(ctx).isEmpty()) return;
        String reason =
                ctx.formParam("reason") == null ? "" : ctx.formParam("reason").strip();
        if (reason.length() > REASON_LIMIT) {
            run(ctx, 400, "A reason can be at most " + REASON_LIMIT + " characters long.");
            return;
        }
        Principal who = Requests.principal(ctx);
        change(ctx, approve ? "runbook.approve" : "runbook.reject", () -> {
            Run after = runbooks.approve(
                    id, new Runbooks.Actor(who.name(), who.role()), approve, reason.isEmpty() ? null : reason);
            return Map.of("step", String.valueOf(after.currentStep()), "reason", reason);
        });
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<Run> run = pathRun(ctx);
        if (run.isEmpty()) return;
        // a run whose runbook has left the config can still be stopped, so only a configured runbook's role applies
        Optional<RunbookDef> def = runbooks.runbook(run.get().runbookId());
        if (def.isPresent() && refused(ctx, def.get(), "Cancelling")) return;
        change(ctx, "runbook.cancel", () -> {
            runbooks.cancel(id, Requests.principal(ctx).name());
            return Map.of("runbook", run.get().runbookId());
        });
    }

    private void resume(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<Run> run = pathRun(ctx);
        if (run.isEmpty()) return;
        Optional<RunbookDef> def = runbooks.runbook(run.get().runbookId());
        if (def.isEmpty()) {
            run(ctx, 409, "Runbook " + run.get().runbookId() + " is no longer configured.");
            return;
        }
        if (refused(ctx, def.get(), "Resuming")) return;
        String from = ctx.formParam("from") == null ? "step" : ctx.formParam("from");
        if (!from.equals("step") && !from.equals("start")) {
            run(ctx, 400, "Resume from \"step\" or \"start\", not \"" + from + "\".");
            return;
        }
        change(ctx, "runbook.resume", () -> {
            runbooks.resume(
                    id,
                    from.equals("start"),
                    params(ctx, def.get()),
                    Requests.principal(ctx).name());
            return Map.of("from", from);
        });
    }

    /** The run the path names; empty, after answering 404 with the run page, when there is none. */
    private Optional<Run> pathRun(Context ctx) {
        Optional<Run> run = runbooks.find(ctx.pathParam("id"));
        if (run.isEmpty()) run(ctx, 404, null);
        return run;
    }

    /** Answers 403 on the run page when the caller may not cancel or resume runs of {@code def}. */
    private boolean refused(Context ctx, RunbookDef def, String doing) {
        if (mayStart(Requests.principal(ctx), def)) return false;
        run(
                ctx,
                403,
                doing + " runs of " + def.id() + " needs the "
                        + Runbooks.startRole(def).label() + " role.");
        return true;
    }

    /**
     * Applies a change to the run on the path, audits it with the details {@code apply} returns and shows the run
     * again; an engine refusal is shown on the run page with its status.
     */
    private void change(Context ctx, String action, Supplier<Map<String, Object>> apply) {
        String id = ctx.pathParam("id");
        try {
            record(ctx, action, id, apply.get());
            ctx.redirect("/runs/" + id, HttpStatus.SEE_OTHER);
        } catch (RunRefused e) {
            run(ctx, status(e), sentence(e.getMessage()));
        }
    }

    // ---- helpers ----

    /** The audit entry the JSON API writes for the same change, so both paths read alike in the log. */
    private void record(Context ctx, String action, String runId, Map<String, Object> details) {
        audit.record(
                Requests.principal(ctx).actor(),
                Requests.client(ctx),
                action,
                "run:" + runId,
                "ok",
                new LinkedHashMap<>(details));
    }

    private static int status(RunRefused e) {
        return switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
        };
    }

    /** The engine's messages are clauses ("parameter 'x' is required"); on a page they read as a sentence. */
    private static String sentence(String message) {
        if (message == null || message.isEmpty()) return "";
        String s = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    private static Long number(String text) {
        return text != null && text.strip().matches("[0-9]{1,18}") ? Long.parseLong(text.strip()) : null;
    }
}
