package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.alert.ActiveAlert;
import dev.opsdeck.alert.AlertEngine;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/alerts?state=pending|firing}: the alerts that are active now, most severe and oldest first: the
 * rules' alerts from the engine, and the alerts other Opsdeck parts raise and still fire (schedules, checklists), given by
 * {@code others} as the firing events that raised them.
 */
public final class AlertRoutes {
    private final AlertEngine alerts;
    private final Supplier<List<AlertEvent>> others;

    public AlertRoutes(AlertEngine alerts) {
        this(alerts, List::of);
    }

    public AlertRoutes(AlertEngine alerts, Supplier<List<AlertEvent>> others) {
        this.alerts = alerts;
        this.others = others;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config).get("/api/v1/alerts", READ, this::list);
    }

    private void list(Context ctx) {
        ActiveAlert.State state = state(ctx.queryParam("state"));
        List<ActiveAlert> all = new ArrayList<>(alerts.active(state));
        if (state != ActiveAlert.State.PENDING)
            for (AlertEvent e : others.get()) all.add(ActiveAlert.firing(e, null, e.at().toEpochMilli()));
        all.sort(Comparator.comparing(ActiveAlert::severity).thenComparingLong(ActiveAlert::sinceMs));
        ctx.json(Map.of("alerts", all.stream().map(ActiveAlert::view).toList()));
    }

    private static ActiveAlert.State state(String s) {
        if (s == null) return null;
        return switch (s) {
            case "pending" -> ActiveAlert.State.PENDING;
            case "firing" -> ActiveAlert.State.FIRING;
            default -> throw ApiProblem.badRequest("state: expected pending or firing; got '" + s + "'");
        };
    }
}
