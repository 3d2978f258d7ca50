package dev.opsdeck.api;

import static dev.opsdeck.api.IncidentRequests.audit;
import static dev.opsdeck.api.IncidentRequests.id;
import static dev.opsdeck.api.IncidentRequests.person;
import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.incident.NoSuchIncident;
import dev.opsdeck.review.CorrectiveAction;
import dev.opsdeck.review.InvalidReview;
import dev.opsdeck.review.Review;
import dev.opsdeck.review.ReviewMarkdown;
import dev.opsdeck.review.ReviewSummary;
import dev.opsdeck.review.ReviewText;
import dev.opsdeck.review.Reviews;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Post-incident reviews: the list (read), one review and its Markdown export (read), save and complete (respond, audited). */
public final class ReviewRoutes {
    private static final Set<String> FIELDS = Set.of(
            "root_cause",
            "impact",
            "affected_users",
            "remediation",
            "detection_gap",
            "runbook_improvements",
            "actions");
    private static final Set<String> ACTION_FIELDS = Set.of("description", "owner", "due", "status");

    private final Reviews reviews;
    private final Access access;
    private final Clock clock;

    public ReviewRoutes(Reviews reviews, Access access, Clock clock) {
        this.reviews = reviews;
        this.access = access;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/reviews", READ, this::list)
                .get("/api/v1/incidents/{id}/review", READ, this::show)
                .get("/api/v1/incidents/{id}/review/markdown", READ, this::markdown)
                .put("/api/v1/incidents/{id}/review", RESPOND, this::save)
                .post("/api/v1/incidents/{id}/review/complete", RESPOND, this::complete);
    }

    private void list(Context ctx) {
        String text = ctx.queryParam("show") == null ? "due" : ctx.queryParam("show");
        Reviews.Show show;
        try {
            show = Reviews.Show.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("show: expected one of all, completed, due, overdue; got '" + text + "'");
        }
        ctx.json(
                Map.of("reviews", reviews.list(show).stream().map(this::summary).toList()));
    }

    private void show(Context ctx) {
        ctx.json(view(find(id(ctx))));
    }

    private void markdown(Context ctx) {
        Review r = find(id(ctx));
        ctx.contentType("text/markdown; charset=utf-8")
                .header(
                        "Content-Disposition",
                        "inline; filename=\"incident-" + r.incident().incident().id() + "-review.md\"")
                .result(ReviewMarkdown.render(r, clock.millis()));
    }

    private void save(Context ctx) {
        long id = id(ctx);
        ReviewText text = text(JsonBody.of(ctx, FIELDS));
        Review r = attempt(() -> reviews.save(id, person(ctx), text));
        audit(
                access,
                ctx,
                "review.update",
                id,
                Map.of("stage", r.stage().label(), "actions", text.actions().size()));
        ctx.json(view(r));
    }

    private void complete(Context ctx) {
        long id = id(ctx);
        Review r = attempt(() -> reviews.complete(id, person(ctx)));
        audit(access, ctx, "review.complete", id, Map.of());
        ctx.json(view(r));
    }

    private Review find(long id) {
        return reviews.find(id).orElseThrow(() -> ApiProblem.notFound("no incident " + id));
    }

    private static ReviewText text(JsonBody body) {
        List<CorrectiveAction> actions = new ArrayList<>();
        List<JsonNode> items = body.list("actions");
        if (items != null) {
            for (int n = 0; n < items.size(); n++) actions.add(action(items.get(n), "actions[" + n + "]"));
        }
        return new ReviewText(
                body.text("root_cause", false),
                body.text("impact", false),
                body.text("affected_users", false),
                body.text("remediation", false),
                body.text("detection_gap", false),
                body.text("runbook_improvements", false),
                List.copyOf(actions));
    }

    private static CorrectiveAction action(JsonNode n, String at) {
        if (!n.isObject())
            throw ApiProblem.badRequest("field '" + at + "': expected an object with description, owner, due, status");
        n.fieldNames().forEachRemaining(f -> {
            if (!ACTION_FIELDS.contains(f)) {
                throw ApiProblem.badRequest(
                        "field '" + at + "." + f + "': unknown; known: description, due, owner, status");
            }
        });
        String due = string(n, at, "due");
        LocalDate date = null;
        if (due != null) {
            try {
                date = LocalDate.parse(due);
            } catch (DateTimeParseException e) {
                throw ApiProblem.badRequest(
                        "field '" + at + ".due': expected a date such as 2026-12-31; got '" + due + "'");
            }
        }
        String status = string(n, at, "status");
        CorrectiveAction.Status parsed = CorrectiveAction.Status.OPEN;
        if (status != null) {
            if (!status.equals("open") && !status.equals("done")) {
                throw ApiProblem.badRequest("field '" + at + ".status': expected open or done; got '" + status + "'");
            }
            parsed = CorrectiveAction.Status.valueOf(status.toUpperCase(Locale.ROOT));
        }
        return new CorrectiveAction(string(n, at, "description"), string(n, at, "owner"), date, parsed);
    }

    private static String string(JsonNode n, String at, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiProblem.badRequest("field '" + at + "." + field + "': expected text");
        return v.asText();
    }

    private Map<String, Object> summary(ReviewSummary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("incident", s.incident().id());
        out.put("title", s.incident().title());
        out.put("severity", s.incident().severity());
        out.put("service", s.incident().service());
        out.put("resolved_at", IncidentViews.time(s.incident().resolvedMs()));
        out.put("stage", s.stage().label());
        out.put("required", s.required());
        out.put("due_at", IncidentViews.time(s.dueMs()));
        out.put("overdue", s.overdue());
        return out;
    }

    private Map<String, Object> view(Review r) {
        var i = r.incident().incident();
        ReviewText t = r.text();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("incident", IncidentViews.incident(i, r.incident().impacted(), clock.millis()));
        out.put("stage", r.stage().label());
        out.put("required", r.required());
        out.put("due_at", IncidentViews.time(r.dueMs()));
        out.put("overdue", r.overdue());
        out.put("duration_seconds", r.durationMs(clock.millis()) / 1000);
        out.put("root_cause", t.rootCause());
        out.put("impact", t.impact());
        out.put("affected_users", t.affectedUsers());
        out.put("remediation", t.remediation());
        out.put("detection_gap", t.detectionGap());
        out.put("runbook_improvements", t.runbookImprovements());
        out.put("actions", t.actions().stream().map(ReviewRoutes::actionView).toList());
        out.put(
                "timeline",
                r.incident().timeline().stream().map(IncidentViews::entry).toList());
        out.put("updated_at", IncidentViews.time(r.updatedMs()));
        out.put("updated_by", r.updatedBy());
        out.put("completed_at", IncidentViews.time(r.completedMs()));
        out.put("completed_by", r.completedBy());
        return out;
    }

    private static Map<String, Object> actionView(CorrectiveAction a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", a.description());
        m.put("owner", a.owner());
        m.put("due", a.due().toString());
        m.put("status", a.status().label());
        return m;
    }

    private static <T> T attempt(Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchIncident e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (InvalidReview e) {
            throw e.conflict()
                    ? new ApiProblem(409, "Conflict", e.getMessage())
                    : ApiProblem.badRequest(e.getMessage());
        }
    }
}
