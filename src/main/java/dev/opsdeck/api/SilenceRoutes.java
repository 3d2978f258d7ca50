package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.silence.InvalidSilence;
import dev.opsdeck.silence.Matcher;
import dev.opsdeck.silence.Silence;
import dev.opsdeck.silence.Silences;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/silences}: list (read); create and expire (operate, audited). */
public final class SilenceRoutes {
    private static final Set<String> FIELDS = Set.of("matchers", "starts_at", "ends_at", "duration", "comment");
    private static final Set<String> MATCHER_FIELDS = Set.of("name", "op", "value");

    private final Silences silences;
    private final Access access;
    private final Clock clock;

    public SilenceRoutes(Silences silences, Access access, Clock clock) {
        this.silences = silences;
        this.access = access;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/silences", READ, this::list)
                .post("/api/v1/silences", OPERATE, this::create)
                .delete("/api/v1/silences/{id}", OPERATE, this::expire);
    }

    private void list(Context ctx) {
        String state = ctx.queryParam("state");
        Silence.State wanted = null;
        if (state != null) {
            try {
                wanted = Silence.State.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("state: expected one of active, expired, pending; got '" + state + "'");
            }
        }
        long now = clock.millis();
        ctx.json(Map.of(
                "silences", silences.list(wanted).stream().map(s -> s.view(now)).toList()));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx, FIELDS);
        List<JsonNode> items = body.list("matchers");
        if (items == null) throw ApiProblem.badRequest("field 'matchers' is required");
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) matchers.add(matcher(items.get(i), "matchers[" + i + "]"));
        Instant startsAt = instant(body.text("starts_at", false), "starts_at");
        Instant endsAt = instant(body.text("ends_at", false), "ends_at");
        String durationText = body.text("duration", false);
        Duration duration = durationText == null ? null : Units.duration(durationText);
        if (durationText != null && (duration == null || duration.isZero() || duration.isNegative())) {
            throw ApiProblem.badRequest(
                    "field 'duration': expected a duration such as 30m, 2h or 1d; got '" + durationText + "'");
        }
        Silence s;
        try {
            s = silences.create(
                    matchers,
                    startsAt,
                    endsAt,
                    duration,
                    Requests.principal(ctx).name(),
                    body.text("comment", false));
        } catch (InvalidSilence e) {
            throw ApiProblem.badField(e.getMessage());
        }
        RequestAudit.ok(access.audit(), ctx, "silence.create", "silence:" + s.id(), s.auditDetails());
        ctx.status(201).json(s.view(clock.millis()));
    }

    private void expire(Context ctx) {
        long id = PathIds.id(ctx, "no silence");
        Silence s = silences.expire(id, Requests.principal(ctx).name())
                .orElseThrow(() -> ApiProblem.notFound("no silence " + id));
        RequestAudit.ok(
                access.audit(),
                ctx,
                "silence.expire",
                "silence:" + id,
                Map.of("expired_by", String.valueOf(s.expiredBy())));
        ctx.json(s.view(clock.millis()));
    }

    private static Matcher matcher(JsonNode n, String where) {
        if (!n.isObject()) throw ApiProblem.badRequest("field '" + where + "': expected an object {name, op, value}");
        n.fieldNames().forEachRemaining(f -> {
            if (!MATCHER_FIELDS.contains(f)) {
                throw ApiProblem.badRequest("unknown field '" + where + "." + f + "'; known: name, op, value");
            }
        });
        try {
            return new Matcher(text(n, "name"), text(n, "op"), text(n, "value"));
        } catch (InvalidSilence e) {
            // "matchers: op: ..." becomes "field 'matchers[1].op': ..." so the caller sees which one
            String m = e.getMessage().substring("matchers: ".length());
            int colon = m.indexOf(':');
            boolean named = colon > 0 && MATCHER_FIELDS.contains(m.substring(0, colon));
            throw ApiProblem.badRequest(
                    named
                            ? "field '" + where + "." + m.substring(0, colon) + "'" + m.substring(colon)
                            : "field '" + where + "': " + m);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(String text, String field) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(
                    "field '" + field + "': expected a time such as 2025-06-04T08:00:00Z; got '" + text + "'");
        }
    }
}
