package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.INTAKE_TOKEN;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.config.IntegrationsConfig;
import dev.opsdeck.config.Json;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.incident.AlertmanagerIntake;
import dev.opsdeck.incident.EventsIntake;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.incident.IntakeRejected;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Alerts from outside: {@code POST /api/v1/intake/alertmanager} (Alertmanager webhook v4) and
 * {@code POST /api/v1/intake/events} (PagerDuty Events v2 style). Not user routes: each request carries an
 * integration's token ({@code integrations:}), checked here in constant time, for an integration of the route's
 * type. The payload is checked whole before anything is stored, and stored in one transaction.
 */
public final class IntakeRoutes {

    private final IncidentManager incidents;
    private final Supplier<IntegrationsConfig> integrations;
    private final AuditLog audit;
    private final Clock clock;

    public IntakeRoutes(
            IncidentManager incidents, Supplier<IntegrationsConfig> integrations, AuditLog audit, Clock clock) {
        this.incidents = incidents;
        this.integrations = integrations;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .post("/api/v1/intake/alertmanager", INTAKE_TOKEN, this::alertmanager)
                .post("/api/v1/intake/events", INTAKE_TOKEN, this::events);
    }

    private void alertmanager(Context ctx) {
        IntegrationsConfig.Integration from = authenticate(ctx, "alertmanager");
        List<AlertEvent> events = parse(ctx, from, () -> AlertmanagerIntake.parse(body(ctx), from));
        List<Long> touched = incidents.acceptAll(events, "integration:" + from.name());
        record(
                ctx,
                from,
                AuditLog.OK,
                Map.of(
                        "alerts",
                        events.size(),
                        "incidents",
                        touched.stream().distinct().toList()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", events.size());
        out.put("incidents", touched.stream().distinct().toList());
        ctx.json(out);
    }

    private void events(Context ctx) {
        IntegrationsConfig.Integration from = authenticate(ctx, "events");
        AlertEvent event = parse(ctx, from, () -> EventsIntake.parse(body(ctx), from, clock.instant()));
        List<Long> touched = incidents.acceptAll(List.of(event), "integration:" + from.name());
        record(
                ctx,
                from,
                AuditLog.OK,
                Map.of(
                        "dedup_key",
                        event.fingerprint(),
                        "action",
                        event.state().name().toLowerCase()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "success");
        out.put("dedup_key", event.fingerprint());
        out.put("incident_id", touched.isEmpty() ? null : touched.getFirst());
        ctx.status(202).json(out);
    }

    private <T> T parse(Context ctx, IntegrationsConfig.Integration from, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IntakeRejected e) {
            record(ctx, from, "rejected", Map.of("problems", e.problems()));
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    /** The audit entry for a post from an authenticated integration, which acts under its own name. */
    private void record(Context ctx, IntegrationsConfig.Integration from, String outcome, Map<String, Object> details) {
        String integration = "integration:" + from.name();
        audit.record(integration, Requests.client(ctx), "intake." + from.type(), integration, outcome, details);
    }

    private static JsonNode body(Context ctx) {
        String body = ctx.body(); // outside the try: a body over network.max_request_body is a 413, not "not JSON"
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new IntakeRejected(List.of("body: not JSON"));
        }
    }

    /** The integration whose token the request carries; every token is compared, so timing reveals nothing. */
    private IntegrationsConfig.Integration authenticate(Context ctx, String type) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw refuse(ctx, type, "send the integration's token as 'Authorization: Bearer <token>'");
        }
        byte[] presented = sha256(header.substring(7).strip());
        IntegrationsConfig.Integration match = null;
        for (IntegrationsConfig.Integration i : integrations.get().byName().values()) {
            if (MessageDigest.isEqual(presented, sha256(i.token())) && match == null) match = i;
        }
        if (match == null) throw refuse(ctx, type, "the token belongs to no integration");
        if (!match.type().equals(type)) {
            throw refuse(
                    ctx,
                    type,
                    "the token is for integration '" + match.name() + "' of type " + match.type()
                            + "; it posts to /api/v1/intake/" + match.type());
        }
        return match;
    }

    private ApiProblem refuse(Context ctx, String type, String why) {
        audit.record("anonymous", Requests.client(ctx), "intake." + type, "intake:" + type, AuditLog.DENIED, Map.of());
        ctx.header("WWW-Authenticate", "Bearer realm=\"opsdeck\"");
        return new ApiProblem(401, "Unauthorized", why);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
