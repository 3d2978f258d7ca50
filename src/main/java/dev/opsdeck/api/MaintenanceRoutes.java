package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.maintenance.InvalidWindow;
import dev.opsdeck.maintenance.MaintenanceWindow;
import dev.opsdeck.maintenance.MaintenanceWindows;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code /api/v1/maintenance}: list (read); create, change and end (operate, audited), like silences. */
public final class MaintenanceRoutes {
    private static final Set<String> FIELDS =
            Set.of("services", "starts_at", "ends_at", "duration", "days", "at", "time_zone", "comment");

    private final MaintenanceWindows windows;
    private final Supplier<Set<String>> services;
    private final Access access;
    private final Clock clock;

    public MaintenanceRoutes(MaintenanceWindows windows, Supplier<Set<String>> services, Access access, Clock clock) {
        this.windows = windows;
        this.services = services;
        this.access = access;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/maintenance", READ, this::list)
                .post("/api/v1/maintenance", OPERATE, this::create)
                .patch("/api/v1/maintenance/{id}", OPERATE, this::update)
                .delete("/api/v1/maintenance/{id}", OPERATE, this::end);
    }

    private void list(Context ctx) {
        String state = ctx.queryParam("state");
        MaintenanceWindow.State wanted = null;
        if (state != null) {
            try {
                wanted = MaintenanceWindow.State.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("state: expected one of active, ended, scheduled; got '" + state + "'");
            }
        }
        Instant now = clock.instant();
        MaintenanceWindow.State filter = wanted;
        ctx.json(Map.of(
                "maintenance",
                windows.list().stream()
                        .filter(w -> filter == null || w.state(now) == filter)
                        .map(w -> w.view(now))
                        .toList()));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx, FIELDS);
        List<String> svc = strings(body.list("services"), "services");
        if (svc == null) throw ApiProblem.badRequest("field 'services' is required");
        List<String> dayNames = strings(body.list("days"), "days");
        Set<DayOfWeek> days = new LinkedHashSet<>();
        if (dayNames != null) {
            for (int i = 0; i < dayNames.size(); i++) days.addAll(day(dayNames.get(i), "days[" + i + "]"));
        }
        String atText = body.text("at", false);
        LocalTime at = null;
        if (atText != null) {
            try {
                at = LocalTime.parse(atText.length() == 4 ? "0" + atText : atText);
            } catch (DateTimeException e) {
                throw ApiProblem.badRequest("field 'at': expected a time of day such as 02:00; got '" + atText + "'");
            }
        }
        String zoneText = body.text("time_zone", false);
        ZoneId zone = null;
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw ApiProblem.badRequest("field 'time_zone': unknown time zone '" + zoneText + "'");
            }
        }
        String durationText = body.text("duration", false);
        Duration duration = durationText == null ? null : Units.duration(durationText);
        if (durationText != null && (duration == null || duration.isZero())) {
            throw ApiProblem.badRequest(
                    "field 'duration': expected a duration such as 30m, 2h or 1d; got '" + durationText + "'");
        }
        MaintenanceWindow w;
        try {
            w = windows.create(
                    new MaintenanceWindows.Request(
                            svc,
                            instant(body.text("starts_at", false), "starts_at"),
                            instant(body.text("ends_at", false), "ends_at"),
                            duration,
                            days,
                            at,
                            zone,
                            body.text("comment", false)),
                    services.get(),
                    Requests.principal(ctx).name());
        } catch (InvalidWindow e) {
            throw ApiProblem.badField(e.getMessage());
        }
        RequestAudit.ok(
                access.audit(),
                ctx,
                "maintenance.create",
                "maintenance:" + w.id(),
                Map.of("services", w.services(), "comment", w.comment()));
        ctx.status(201).json(w.view(clock.instant()));
    }

    private void update(Context ctx) {
        long id = id(ctx);
        JsonBody body = JsonBody.of(ctx, Set.of("services", "ends_at", "comment"));
        List<String> svc = strings(body.list("services"), "services");
        Instant endsAt = instant(body.text("ends_at", false), "ends_at");
        String comment = body.text("comment", false);
        MaintenanceWindow w;
        try {
            w = windows.update(id, svc, endsAt, comment, services.get())
                    .orElseThrow(() -> ApiProblem.notFound("no maintenance window " + id));
        } catch (InvalidWindow e) {
            throw ApiProblem.badField(e.getMessage());
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        if (svc != null) changed.put("services", svc);
        if (endsAt != null) changed.put("ends_at", endsAt.toString());
        if (comment != null) changed.put("comment", comment);
        RequestAudit.ok(access.audit(), ctx, "maintenance.update", "maintenance:" + id, changed);
        ctx.json(w.view(clock.instant()));
    }

    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("no maintenance window '" + text + "'; windows from the configuration are changed"
                    + " in the file");
        }
    }

    private void end(Context ctx) {
        long id = id(ctx);
        MaintenanceWindow w = windows.end(id, Requests.principal(ctx).name())
                .orElseThrow(() -> ApiProblem.notFound("no maintenance window " + id));
        RequestAudit.ok(
                access.audit(),
                ctx,
                "maintenance.end",
                "maintenance:" + id,
                Map.of("ended_by", String.valueOf(w.endedBy())));
        ctx.json(w.view(clock.instant()));
    }

    private static List<String> strings(List<JsonNode> items, String field) {
        if (items == null) return null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual())
                throw ApiProblem.badRequest("field '" + field + "[" + i + "]': expected text");
            out.add(items.get(i).asText());
        }
        return out;
    }

    private static List<DayOfWeek> day(String text, String field) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("daily")) return List.of(DayOfWeek.values());
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            if (t.equals(name) || t.equals(name.substring(0, 3))) return List.of(d);
        }
        throw ApiProblem.badRequest(
                "field '" + field + "': expected a day such as sunday or sun, or daily; got '" + text + "'");
    }

    private static Instant instant(String text, String field) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest(
                    "field '" + field + "': expected a time such as 2025-06-04T08:00:00Z; got '" + text + "'");
        }
    }
}
