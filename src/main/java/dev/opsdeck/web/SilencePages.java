package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.silence.InvalidSilence;
import dev.opsdeck.silence.Matcher;
import dev.opsdeck.silence.Silence;
import dev.opsdeck.silence.Silences;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /silences}: the silences in force and coming, the recently ended, a form to add one and a button to end
 * one. Adding and ending need the operate permission and write the same audit entries as the JSON API
 * ({@code api.SilenceRoutes}).
 */
public final class SilencePages {
    static final int EXPIRED_SHOWN = 20;

    private final Silences silences;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final PageTemplates templates = new PageTemplates();

    public SilencePages(Silences silences, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.silences = silences;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Silences", "/silences", READ, 50);
        new SecuredRoutes(config)
                .get("/silences", READ, ctx -> page(ctx, 200, null, SilenceModels.Form.EMPTY))
                .post("/silences", OPERATE, this::create)
                .post("/silences/{id}/expire", OPERATE, this::expire);
    }

    private void page(Context ctx, int status, String error, SilenceModels.Form typed) {
        long now = clock.millis();
        List<SilenceModels.Row> current = new ArrayList<>(), ended = new ArrayList<>();
        for (Silence s : silences.list(null)) {
            if (s.state(now) == Silence.State.EXPIRED) {
                if (ended.size() < EXPIRED_SHOWN) ended.add(SilenceModels.row(s, now));
            } else {
                current.add(SilenceModels.row(s, now));
            }
        }
        boolean canOperate = OPERATE.allows(Requests.principal(ctx).role());
        var page = new SilenceModels.ListPage(
                Viewer.of(ctx), assets.css(), assets.icon(), current, ended, canOperate, error, typed);
        Dashboard.html(ctx, status, templates.render("silences.jte", page));
    }

    private void create(Context ctx) {
        var typed = new SilenceModels.Form(value(ctx, "matchers"), value(ctx, "duration"), value(ctx, "comment"));
        List<Matcher> matchers = new ArrayList<>();
        try {
            for (String part : typed.matchers().split("[,\\n]")) {
                if (!part.isBlank()) matchers.add(Matcher.parse(part.strip()));
            }
            Duration duration = Units.duration(typed.duration().strip());
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new InvalidSilence(
                        "duration: expected a duration such as 30m, 2h or 1d; got '" + typed.duration() + "'");
            }
            Silence s = silences.create(
                    matchers, null, null, duration, Requests.principal(ctx).name(), typed.comment());
            RequestAudit.ok(audit, ctx, "silence.create", "silence:" + s.id(), s.auditDetails());
            ctx.redirect("/silences", HttpStatus.SEE_OTHER);
        } catch (InvalidSilence e) {
            page(ctx, 400, e.getMessage(), typed);
        }
    }

    private void expire(Context ctx) {
        String text = ctx.pathParam("id");
        var expired = text.matches("[0-9]{1,18}")
                ? silences.expire(Long.parseLong(text), Requests.principal(ctx).name())
                : Optional.<Silence>empty();
        if (expired.isEmpty()) {
            page(ctx, 404, "There is no silence " + text + ".", SilenceModels.Form.EMPTY);
            return;
        }
        RequestAudit.ok(
                audit,
                ctx,
                "silence.expire",
                "silence:" + text,
                Map.of("expired_by", String.valueOf(expired.get().expiredBy())));
        ctx.redirect("/silences", HttpStatus.SEE_OTHER);
    }

    private static String value(Context ctx, String field) {
        String v = ctx.formParam(field);
        return v == null ? "" : v;
    }
}
