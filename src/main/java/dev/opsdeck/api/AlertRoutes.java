package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.alert.ActiveAlert;
import dev.opsdeck.alert.AlertEngine;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code GET /api/v1/alerts?state=pending|firing}: the alerts that are active now, most severe and oldest first. */
public final class AlertRoutes {
    private final AlertEngine alerts;

    public AlertRoutes(AlertEngine alerts) {
        this.alerts = alerts;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config).get("/api/v1/alerts", READ, this::list);
    }

    private void list(Context ctx) {
        ActiveAlert.State state = state(ctx.queryParam("state"));
        ctx.json(Map.of("alerts", alerts.active(state).stream().map(ActiveAlert::view).toList()));
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
