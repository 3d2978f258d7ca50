package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentConflict;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.incident.NoSuchIncident;
import dev.opsdeck.incident.ResponderAction;
import dev.opsdeck.web.IncidentModels.DetailPage;
import dev.opsdeck.web.IncidentModels.ListPage;
import dev.opsdeck.web.IncidentModels.Summary;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code /incidents} and {@code /incidents/{id}}: the incidents people respond to, and forms to acknowledge,
 * resolve, reopen and annotate one. The forms make the same domain calls and audit entries as the JSON API
 * ({@code api.IncidentRoutes}), so a change from the page and one from the CLI leave the same trail.
 */
public final class IncidentPages {
    private static final int OPEN_LIMIT = 500;
    private static final int RESOLVED_LIMIT = 20;
    private static final int NOTE_LIMIT = 20_000;
    /** Triggered before acknowledged (nobody is on those yet), then the most severe, then the oldest. */
    private static final Comparator<Incident> OPEN_ORDER = Comparator.comparing(
                    (Incident i) -> i.state() != Incident.State.TRIGGERED)
            .thenComparing(i -> i.severity() == null ? "P9" : i.severity())
            .thenComparingLong(Incident::openedMs);

    private final IncidentManager incidents;
    private final Predicate<String> userExists;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final PageTemplates templates = new PageTemplates();
    private final RunbookChoices runbooks;

    public IncidentPages(
            IncidentManager incidents,
            Predicate<String> userExists,
            AuditLog audit,
            Clock clock,
            Assets.Urls assets,
            RunbookChoices runbooks) {
        this.runbooks = runbooks;
        this.incidents = incidents;
        this.userExists = userExists;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Incidents", "/incidents", READ, 20);
        SecuredRoutes routes = new SecuredRoutes(config);
        routes.get("/incidents", READ, this::list)
                .get("/incidents/{id}", READ, ctx -> detail(ctx, 200, null))
                .post("/incidents/{id}/notes", RESPOND, this::note)
                .post("/incidents/{id}/assign", RESPOND, this::assign);
        for (ResponderAction a : ResponderAction.values()) {
            routes.post("/incidents/{id}/" + a.path(), RESPOND, ctx -> change(ctx, a));
        }
    }

    private void list(Context ctx) {
        long now = clock.millis();
        List<Summary> open = incidents.list(new IncidentManager.Filter("open", null, null, OPEN_LIMIT)).stream()
                .sorted(OPEN_ORDER)
                .map(i -> IncidentModels.summary(i, incidents.impacted(i.id()), now))
                .toList();
        List<Summary> resolved =
                incidents.list(new IncidentManager.Filter("resolved", null, null, RESOLVED_LIMIT)).stream()
                        .map(i -> IncidentModels.summary(i, incidents.impacted(i.id()), now))
                        .toList();
        var response = IncidentModels.response(incidents.stats(IncidentManager.METRICS_WINDOW));
        ListPage page =
                new ListPage(Viewer.of(ctx), assets.css(), assets.icon(), assets.htmx(), open, resolved, response);
        Dashboard.html(ctx, 200, templates.render("incidents.jte", page));
    }

    private void detail(Context ctx, int status, String error) {
        Long id = PageIds.id(ctx);
        var found = id == null ? Optional.<IncidentManager.Detail>empty() : incidents.detail(id);
        boolean canRespond = RESPOND.allows(Requests.principal(ctx).role());
        long now = clock.millis();
        DetailPage page = found.map(d -> new DetailPage(
                        Viewer.of(ctx),
                        assets.css(),
                        assets.icon(),
                        d.incident().id(),
                        d.incident(),
                        IncidentModels.summary(d.incident(), d.impacted(), now),
                        IncidentModels.targets(d.incident(), now),
                        d.alerts(),
                        d.timeline(),
                        canRespond,
                        error,
                        incidents
                                .escalation(d.incident().id())
                                .map(IncidentModels::escalation)
                                .orElse(null),
                        canRespond ? runbooks.of(d, d.incident().runbook()) : List.of(),
                        incidents.recentChanges(d.incident(), d.impacted())))
                .orElseGet(() -> new DetailPage(
                        Viewer.of(ctx),
                        assets.css(),
                        assets.icon(),
                        id == null ? 0 : id,
                        null,
                        null,
                        List.of(),
                        List.of(),
                        List.of(),
                        false,
                        null,
                        null,
                        List.of(),
                        List.of()));
        Dashboard.html(ctx, found.isPresent() ? status : 404, templates.render("incident.jte", page));
    }

    private void change(Context ctx, ResponderAction action) {
        Long id = PageIds.id(ctx);
        if (id == null) {
            detail(ctx, 404, null);
            return;
        }
        try {
            Incident i = action.apply(incidents, id, person(ctx));
            record(ctx, action.auditAction(), id, Map.of("state", i.state().label()));
            ctx.redirect("/incidents/" + id, HttpStatus.SEE_OTHER);
        } catch (NoSuchIncident e) {
            detail(ctx, 404, null);
        } catch (IncidentConflict e) {
            detail(ctx, 409, e.getMessage());
        }
    }

    private void note(Context ctx) {
        Long id = PageIds.id(ctx);
        String text = ctx.formParam("text") == null ? "" : ctx.formParam("text");
        if (id == null) {
            detail(ctx, 404, null);
        } else if (text.isBlank()) {
            detail(ctx, 400, "A note needs some text.");
        } else if (text.length() > NOTE_LIMIT) {
            detail(ctx, 400, "A note can be at most " + NOTE_LIMIT + " characters long.");
        } else {
            try {
                incidents.note(id, person(ctx), text);
                record(ctx, "incident.note", id, Map.of("characters", text.length()));
                ctx.redirect("/incidents/" + id, HttpStatus.SEE_OTHER);
            } catch (NoSuchIncident e) {
                detail(ctx, 404, null);
            }
        }
    }

    /** Assigns to the user named in the form; an empty name unassigns. The user must exist. */
    private void assign(Context ctx) {
        Long id = PageIds.id(ctx);
        String user = ctx.formParam("user") == null ? "" : ctx.formParam("user").strip();
        if (id == null) {
            detail(ctx, 404, null);
        } else if (!user.isEmpty() && !userExists.test(user)) {
            detail(ctx, 400, "There is no user named \"" + user + "\".");
        } else {
            try {
                incidents.assign(id, person(ctx), user.isEmpty() ? null : user);
                record(ctx, "incident.assign", id, user.isEmpty() ? Map.of() : Map.of("user", user));
                ctx.redirect("/incidents/" + id, HttpStatus.SEE_OTHER);
            } catch (NoSuchIncident e) {
                detail(ctx, 404, null);
            }
        }
    }

    /** The audit entry the JSON API writes for the same change, so both paths read alike in the log. */
    private void record(Context ctx, String action, long id, Map<String, Object> details) {
        RequestAudit.ok(audit, ctx, action, "incident:" + id, details);
    }

    /** How the timeline names the person acting. */
    private static String person(Context ctx) {
        return Requests.principal(ctx).name();
    }
}
