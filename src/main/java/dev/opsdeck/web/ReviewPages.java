package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.incident.NoSuchIncident;
import dev.opsdeck.review.CorrectiveAction;
import dev.opsdeck.review.InvalidReview;
import dev.opsdeck.review.Review;
import dev.opsdeck.review.ReviewText;
import dev.opsdeck.review.Reviews;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /reviews} and {@code /incidents/{id}/review}: the post-incident reviews owed, and a form to write and
 * complete one. The form makes the same domain calls and audit entries as the JSON API ({@code api.ReviewRoutes}).
 */
public final class ReviewPages {
    /** Empty rows offered below the written corrective actions; blank rows are ignored on save. */
    static final int SPARE_ACTION_ROWS = 3;

    private final Reviews reviews;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final PageTemplates templates = new PageTemplates();

    public ReviewPages(Reviews reviews, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.reviews = reviews;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Reviews", "/reviews", READ, 40);
        new SecuredRoutes(config)
                .get("/reviews", READ, this::list)
                .get("/incidents/{id}/review", READ, ctx -> page(ctx, 200, null, null))
                .post("/incidents/{id}/review", RESPOND, this::save)
                .post("/incidents/{id}/review/complete", RESPOND, this::complete);
    }

    private void list(Context ctx) {
        var page = new ReviewModels.ListPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                reviews.list(Reviews.Show.DUE).stream()
                        .map(s -> ReviewModels.row(s, clock.millis()))
                        .toList(),
                reviews.list(Reviews.Show.COMPLETED).stream()
                        .limit(20)
                        .map(s -> ReviewModels.row(s, clock.millis()))
                        .toList());
        Dashboard.html(ctx, 200, templates.render("reviews.jte", page));
    }

    /** {@code typed}: what the person submitted, shown again when it was refused so nothing they wrote is lost. */
    private void page(Context ctx, int status, String error, ReviewText typed) {
        Long id = PageIds.id(ctx);
        var found = id == null ? Optional.<Review>empty() : reviews.find(id);
        boolean canRespond = RESPOND.allows(Requests.principal(ctx).role());
        var page = new ReviewModels.FormPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                id == null ? 0 : id,
                found.orElse(null),
                typed != null ? typed : found.map(Review::text).orElse(ReviewText.EMPTY),
                canRespond,
                error,
                clock.millis());
        Dashboard.html(ctx, found.isPresent() ? status : 404, templates.render("review.jte", page));
    }

    private void save(Context ctx) {
        Long id = PageIds.id(ctx);
        if (id == null) {
            page(ctx, 404, null, null);
            return;
        }
        ReviewText typed;
        try {
            typed = text(ctx);
        } catch (IllegalArgumentException e) {
            page(ctx, 400, e.getMessage(), null);
            return;
        }
        try {
            Review r = reviews.save(id, person(ctx), typed);
            record(
                    ctx,
                    "review.update",
                    id,
                    Map.of(
                            "stage",
                            r.stage().label(),
                            "actions",
                            typed.actions().size()));
            ctx.redirect("/incidents/" + id + "/review", HttpStatus.SEE_OTHER);
        } catch (NoSuchIncident e) {
            page(ctx, 404, null, null);
        } catch (InvalidReview e) {
            page(ctx, e.conflict() ? 409 : 400, e.getMessage(), typed);
        }
    }

    private void complete(Context ctx) {
        Long id = PageIds.id(ctx);
        if (id == null) {
            page(ctx, 404, null, null);
            return;
        }
        try {
            reviews.complete(id, person(ctx));
            record(ctx, "review.complete", id, Map.of());
            ctx.redirect("/incidents/" + id + "/review", HttpStatus.SEE_OTHER);
        } catch (NoSuchIncident e) {
            page(ctx, 404, null, null);
        } catch (InvalidReview e) {
            page(ctx, e.conflict() ? 409 : 400, e.getMessage(), null);
        }
    }

    /** The form's fields; corrective-action rows come as parallel lists, blank rows skipped. */
    private static ReviewText text(Context ctx) {
        List<String> descriptions = ctx.formParams("action_description");
        List<String> owners = ctx.formParams("action_owner");
        List<String> dues = ctx.formParams("action_due");
        List<String> statuses = ctx.formParams("action_status");
        List<CorrectiveAction> actions = new ArrayList<>();
        for (int n = 0; n < descriptions.size(); n++) {
            String description = descriptions.get(n).strip();
            String owner = at(owners, n);
            String due = at(dues, n);
            if (description.isEmpty() && owner.isEmpty() && due.isEmpty()) continue;
            LocalDate date = null;
            if (!due.isEmpty()) {
                try {
                    date = LocalDate.parse(due);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("Corrective action " + (actions.size() + 1)
                            + ": the due date must look like 2026-12-31, not \"" + due + "\".");
                }
            }
            CorrectiveAction.Status status =
                    "done".equals(at(statuses, n)) ? CorrectiveAction.Status.DONE : CorrectiveAction.Status.OPEN;
            actions.add(new CorrectiveAction(description, owner, date, status));
        }
        return new ReviewText(
                ctx.formParam("root_cause"),
                ctx.formParam("impact"),
                ctx.formParam("affected_users"),
                ctx.formParam("remediation"),
                ctx.formParam("detection_gap"),
                ctx.formParam("runbook_improvements"),
                List.copyOf(actions));
    }

    private static String at(List<String> values, int n) {
        return n < values.size() ? values.get(n).strip() : "";
    }

    private void record(Context ctx, String action, long id, Map<String, Object> details) {
        RequestAudit.ok(audit, ctx, action, "incident:" + id, details);
    }

    private static String person(Context ctx) {
        return Requests.principal(ctx).name();
    }
}
