package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.maintenance.MaintenanceWindows;
import dev.opsdeck.oncall.OnCall;
import dev.opsdeck.oncall.Shift;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /oncall}: who is on call now and next for every rotation, and the maintenance windows, with a button to
 * end a window made through the API or this page. The button makes the same call and audit entry as
 * {@code DELETE /api/v1/maintenance/{id}}.
 */
public final class OnCallPages {
    /** One rotation's row. {@code until} and {@code nextFrom} are UTC times as text. */
    public record Row(String rotation, String now, String until, String next, boolean override) {}

    /** One maintenance window's row; {@code id} null for a configured one (not ended from here). */
    public record Window(Long id, String name, String state, String services, String when, String comment,
                         String creator) {}

    public record Page(Viewer viewer, String css, String icon, List<Row> rotations, List<Window> windows,
                       boolean canOperate) {}

    private final OnCall oncall;
    private final MaintenanceWindows maintenance;
    private final AuditLog audit;
    private final Clock clock;
    private final Assets.Urls assets;
    private final Templates templates = new Templates();

    OnCallPages(OnCall oncall, MaintenanceWindows maintenance, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.oncall = oncall;
        this.maintenance = maintenance;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/oncall", READ, this::page)
                .post("/maintenance/{id}/end", OPERATE, this::end);
    }

    private void page(Context ctx) {
        OnCallConfig c = oncall.config();
        Instant now = clock.instant();
        List<Row> rows = oncall.now().stream().map(n -> new Row(n.rotation().key(), who(n.now(), c),
                Format.utc(n.now().until().toEpochMilli()), who(n.next(), c), n.now().override())).toList();
        List<Window> windows = maintenance.list().stream().filter(w -> w.state(now) != dev.opsdeck.maintenance.MaintenanceWindow.State.ENDED)
                .map(w -> {
                    Map<String, Object> v = w.view(now);
                    String when = w.weekly() ? "weekly " + v.get("days") + " at " + v.get("at") + " for " + v.get("duration")
                            + " (" + v.get("time_zone") + ")" : Format.utc(w.startsMs()) + " – " + Format.utc(w.endsMs());
                    return new Window(w.id(), w.name(), w.state(now).label(), String.join(", ", w.services()), when,
                            w.comment(), w.creator());
                }).toList();
        boolean canOperate = OPERATE.allows(Requests.principal(ctx).role());
        Dashboard.html(ctx, 200, templates.render("oncall.jte",
                new Page(Viewer.of(ctx), assets.css(), assets.icon(), rows, windows, canOperate)));
    }

    private void end(Context ctx) {
        String text = ctx.pathParam("id");
        if (text.matches("[0-9]{1,18}")) {
            long id = Long.parseLong(text);
            maintenance.end(id, Requests.principal(ctx).name()).ifPresent(w -> audit.record(
                    Requests.principal(ctx).actor(), Requests.client(ctx), "maintenance.end", "maintenance:" + id, "ok",
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
