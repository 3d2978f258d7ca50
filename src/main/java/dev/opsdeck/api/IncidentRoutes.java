package dev.opsdeck.api;

import static dev.opsdeck.api.IncidentRequests.audit;
import static dev.opsdeck.api.IncidentRequests.id;
import static dev.opsdeck.api.IncidentRequests.person;
import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentConflict;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.incident.IncidentStats;
import dev.opsdeck.incident.NoSuchIncident;
import dev.opsdeck.incident.ResponderAction;
import dev.opsdeck.notify.Delivery;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code /api/v1/incidents}: list, detail, stats (read); ack, resolve, reopen, notes, assign (respond, audited). */
public final class IncidentRoutes {
    private static final Set<String> STATES = Set.of("open", "triggered", "acknowledged", "resolved");
    private static final Set<String> SEVERITIES = Set.of("P1", "P2", "P3", "P4");

    private final IncidentManager incidents;
    private final Access access;
    private final Function<String, List<Delivery>> deliveries;
    private final Clock clock;

    /** {@code deliveries}: the outbox's messages whose idempotency key starts with a prefix, with their delivery. */
    public IncidentRoutes(
            IncidentManager incidents, Access access, Function<String, List<Delivery>> deliveries, Clock clock) {
        this.incidents = incidents;
        this.access = access;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        SecuredRoutes routes = new SecuredRoutes(config);
        routes.get("/api/v1/incidents", READ, this::list)
                .get("/api/v1/incidents/stats", READ, this::stats)
                .get("/api/v1/incidents/{id}", READ, this::detail)
                .post("/api/v1/incidents/{id}/notes", RESPOND, this::note)
                .post("/api/v1/incidents/{id}/assign", RESPOND, this::assign);
        for (ResponderAction a : ResponderAction.values()) {
            routes.post("/api/v1/incidents/{id}/" + a.path(), RESPOND, ctx -> change(ctx, a));
        }
    }

    private void list(Context ctx) {
        String state = choice(ctx, "state", STATES);
        String severity = choice(ctx, "severity", SEVERITIES);
        int limit = QueryParams.limit(ctx, 50, 500);
        long now = clock.millis();
        List<Map<String, Object>> out =
                incidents.list(new IncidentManager.Filter(state, severity, ctx.queryParam("service"), limit)).stream()
                        .map(i -> IncidentViews.incident(i, incidents.impacted(i.id()), now))
                        .toList();
        ctx.json(Map.of("incidents", out));
    }

    private void detail(Context ctx) {
        long id = id(ctx);
        var d = incidents.detail(id).orElseThrow(() -> ApiProblem.notFound("no incident " + id));
        Map<String, Map<String, Object>> delivery = new LinkedHashMap<>();
        deliveries.apply("incident-" + id + "-").forEach(m -> delivery.put(m.idempotencyKey(), m.view()));
        Map<String, Object> body = IncidentViews.incident(d.incident(), d.impacted(), clock.millis());
        body.put("alerts", d.alerts().stream().map(IncidentViews::alert).toList());
        body.put("timeline", d.timeline().stream().map(IncidentViews::entry).toList());
        body.put(
                "notifications",
                d.notices().stream()
                        .map(n -> IncidentViews.notice(n, delivery.get(n.idempotencyKey())))
                        .toList());
        body.put("escalation", incidents.escalation(id).orElse(null));
        ctx.json(body);
    }

    private void stats(Context ctx) {
        String windowText = ctx.queryParam("window") == null ? "30d" : ctx.queryParam("window");
        Duration window = Units.duration(windowText);
        if (window == null || window.isZero() || window.toDays() > 400) {
            throw ApiProblem.badRequest(
                    "window: expected a duration up to 400d such as 7d or 30d; got '" + windowText + "'");
        }
        IncidentStats s = incidents.stats(window);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("window", windowText);
        body.put("since", IncidentViews.time(s.sinceMs()));
        body.put("open", s.open());
        body.put("sla_breaches", s.slaBreaches());
        body.put(
                "by_severity",
                s.bySeverity().stream().map(IncidentViews::figure).toList());
        body.put("by_service", s.byService().stream().map(IncidentViews::figure).toList());
        ctx.json(body);
    }

    private void note(Context ctx) {
        String text = JsonBody.of(ctx, Set.of("text")).text("text", true);
        if (text.isBlank()) throw ApiProblem.badRequest("field 'text': must not be empty");
        if (text.length() > 20_000) throw ApiProblem.badRequest("field 'text': longer than 20000 characters");
        long id = id(ctx);
        var entry = attempt(() -> incidents.note(id, person(ctx), text));
        audit(access, ctx, "incident.note", id, Map.of("characters", text.length()));
        ctx.status(201).json(IncidentViews.entry(entry));
    }

    private void assign(Context ctx) {
        String user = JsonBody.of(ctx, Set.of("user")).text("user", false);
        if (user != null && access.users().find(user).isEmpty()) {
            throw ApiProblem.badRequest("field 'user': no user named '" + user + "'");
        }
        long id = id(ctx);
        Incident i = attempt(() -> incidents.assign(id, person(ctx), user));
        audit(access, ctx, "incident.assign", id, user == null ? Map.of() : Map.of("user", user));
        ctx.json(IncidentViews.incident(i, incidents.impacted(id), clock.millis()));
    }

    private void change(Context ctx, ResponderAction action) {
        long id = id(ctx);
        Incident i = attempt(() -> action.apply(incidents, id, person(ctx)));
        audit(access, ctx, action.auditAction(), id, Map.of("state", i.state().label()));
        ctx.json(IncidentViews.incident(i, incidents.impacted(id), clock.millis()));
    }

    private static <T> T attempt(Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchIncident e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (IncidentConflict e) {
            throw new ApiProblem(409, "Conflict", e.getMessage());
        }
    }

    private static String choice(Context ctx, String name, Set<String> allowed) {
        String v = ctx.queryParam(name);
        if (v != null && !allowed.contains(v)) {
            throw ApiProblem.badRequest(name + ": expected one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + "; got '" + v + "'");
        }
        return v;
    }
}
