package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.ADMINISTER;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The audit log: {@code GET /api/v1/audit} pages through it as JSON; {@code /export} streams JSON lines. */
final class AuditRoutes {
    private final AuditLog audit;

    AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get(
                        "/api/v1/audit",
                        ADMINISTER,
                        ctx -> ctx.json(Map.of(
                                "entries",
                                audit.query(filter(ctx, 100)).stream()
                                        .map(AuditLog.Entry::view)
                                        .toList())))
                .get("/api/v1/audit/export", ADMINISTER, this::export);
    }

    private void export(Context ctx) throws IOException {
        ctx.contentType("application/jsonl; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"opsdeck-audit.jsonl\"");
        AuditLog.Filter f = filter(ctx, Integer.MAX_VALUE);
        // who took a copy of the trail is itself part of the trail
        audit.record(
                Requests.principal(ctx).actor(),
                Requests.client(ctx),
                "audit.export",
                "audit",
                "ok",
                Map.of("query", ctx.queryString() == null ? "" : ctx.queryString()));
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            audit.export(f, out);
        }
    }

    /** Every filter is bound as a parameter by the audit log; here they are only checked for form. */
    static AuditLog.Filter filter(Context ctx, int defaultLimit) {
        int limit = QueryParams.limit(ctx, defaultLimit, 1000);
        String before = ctx.queryParam("before");
        if (before != null && !before.matches("[0-9]{1,18}")) {
            throw ApiProblem.badRequest("before: expected an entry id; got '" + before + "'");
        }
        return new AuditLog.Filter(
                ctx.queryParam("actor"),
                ctx.queryParam("action"),
                ctx.queryParam("target"),
                time(ctx, "since"),
                time(ctx, "until"),
                limit,
                before == null ? null : Long.parseLong(before));
    }

    private static Long time(Context ctx, String name) {
        String t = ctx.queryParam(name);
        if (t == null) return null;
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(
                    name + ": expected an ISO-8601 UTC time such as 2026-11-23T14:00:00Z; got '" + t + "'");
        }
    }
}
