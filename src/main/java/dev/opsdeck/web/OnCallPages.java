package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.maintenance.InvalidWindow;
import dev.opsdeck.maintenance.MaintenanceWindow;
import dev.opsdeck.maintenance.MaintenanceWindows;
import dev.opsdeck.oncall.OnCall;
import dev.opsdeck.oncall.Shift;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /oncall}: who is on call now and next for every rotation, and the maintenance windows, with a form to make
 * a one-off window and a button to end one made through the API or this page. They make the same calls and audit
 * entries as {@code POST} and {@code DELETE /api/v1/maintenance}.
 */
public final class OnCallPages {
    /** One rotation's row. {@code until} and {@code nextFrom} are UTC times as text. */
    public record Row(String rotation, String now, String until, String next, boolean override) {}

    /** One maintenance window's row; {@code id} null for a configured one (not ended from here). */
    public record Window(
            Long id, String name, String state, String services, String when, String comment, String creator) {}

    public record Page(
            Viewer viewer,
            String css,
            String icon,
            List<Row> rotations,
            List<Window> windows,
            boolean canOperate,
            String error) {}

    private final OnCall oncall;
    private final MaintenanceWindows maintenance;
    private final Supplier<Set<String>> services;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final PageTemplates templates = new PageTemplates();

    public OnCallPages(
            OnCall oncall,
            MaintenanceWindows maintenance,
            Supplier<Set<String>> services,
            AuditLog audit,
            Clock clock,
            Assets.Urls assets) {
        this.oncall = oncall;
        this.maintenance = maintenance;
        this.services = services;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("On call", "/oncall", READ, 30);
        new SecuredRoutes(config)
                .get("/oncall", READ, ctx -> page(ctx, 200, null))
                .post("/maintenance", OPERATE, this::create)
                .post("/maintenance/{id}/end", OPERATE, this::end);
    }

    private void page(Context ctx, int status, String error) {
        OnCallConfig c = oncall.config();
        Instant now = clock.instant();
        List<Row> rows = oncall.now().stream()
                .map(n -> new Row(
                        n.rotation().key(),
                        who(n.now(), c),
                        Format.utc(n.now().until().toEpochMilli()),
                        who(n.next(), c),
                        n.now().override()))
                .toList();
        List<Window> windows = maintenance.list().stream()
                .filter(w -> w.state(now) != MaintenanceWindow.State.ENDED)
                .map(w -> {
                    Map<String, Object> v = w.view(now);
                    String when = w.weekly()
                            ? "weekly " + v.get("days") + " at " + v.get("at") + " for " + v.get("duration") + " ("
                                    + v.get("time_zone") + ")"
                            : Format.utc(w.startsMs()) + " – " + Format.utc(w.endsMs());
                    return new Window(
                            w.id(),
                            w.name(),
                            w.state(now).label(),
                            String.join(", ", w.services()),
                            when,
                            w.comment(),
                            w.creator());
                })
                .toList();
        boolean canOperate = OPERATE.allows(Requests.principal(ctx).role());
        Dashboard.html(
                ctx,
                status,
                templates.render(
                        "oncall.jte",
                        new Page(Viewer.of(ctx), assets.css(), assets.icon(), rows, windows, canOperate, error)));
    }

    /** A one-off window from now, as {@code POST /api/v1/maintenance} makes it; a mistake is shown on the page. */
    private void create(Context ctx) {
        String svc = ctx.formParam("services") == null ? "" : ctx.formParam("services");
        List<String> list =
                Arrays.stream(svc.split("[,\\s]+")).filter(x -> !x.isBlank()).toList();
        String durationText = ctx.formParam("duration") == null
                ? ""
                : ctx.formParam("duration").strip();
        Duration duration = Units.duration(durationText);
        if (duration == null || duration.isZero()) {
            page(ctx, 400, "Duration: write one such as 30m, 2h or 1d (got \"" + durationText + "\").");
            return;
        }
        try {
            MaintenanceWindow w = maintenance.create(
                    new MaintenanceWindows.Request(
                            list, null, null, duration, Set.of(), null, null, ctx.formParam("comment")),
                    services.get(),
                    Requests.principal(ctx).name());
            audit.record(
                    Requests.principal(ctx).actor(),
                    Requests.client(ctx),
                    "maintenance.create",
                    "maintenance:" + w.id(),
                    "ok",
                    Map.of("services", w.services(), "comment", w.comment()));
            ctx.redirect("/oncall", HttpStatus.SEE_OTHER);
        } catch (InvalidWindow e) {
            page(ctx, 400, e.getMessage());
        }
    }

    private void end(Context ctx) {
        String text = ctx.pathParam("id");
        if (text.matches("[0-9]{1,18}")) {
            long id = Long.parseLong(text);
            maintenance
                    .end(id, Requests.principal(ctx).name())
                    .ifPresent(w -> audit.record(
                            Requests.principal(ctx).actor(),
                            Requests.client(ctx),
                            "maintenance.end",
                            "maintenance:" + id,
                            "ok",
                            Map.of("ended_by", String.valueOf(w.endedBy()))));
        }
        ctx.redirect("/oncall", HttpStatus.SEE_OTHER);
    }

    private static String who(Shift s, OnCallConfig c) {
        if (s.contact() == null) return "nobody";
        var contact = c.contacts().get(s.contact());
        return contact == null ? s.contact() : contact.name();
    }
}
