package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.BackupFailure;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.CompiledDestination;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.backup.Jobs;
import dev.opsdeck.backup.Restore;
import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.DestinationDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/backups}: targets with their latest backups, history, retention plans (read); create, verify,
 * restore and prune (operate, audited as {@code backup.*} and {@code restore.*}). Verify and restore run as jobs
 * polled at {@code /api/v1/backup-jobs/{id}}; a backup is polled at its own URL.
 */
public final class BackupRoutes {
    private final Backups backups;
    private final Drills drills;
    private final Jobs jobs;
    private final AuditLog audit;
    private final Clock clock;

    public BackupRoutes(Backups backups, Drills drills, Jobs jobs, AuditLog audit, Clock clock) {
        this.backups = backups;
        this.drills = drills;
        this.jobs = jobs;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        ProblemHandlers.notFound(config, Backups.UnknownTarget.class);
        ProblemHandlers.notFound(config, Backups.UnknownBackup.class);
        // a failure the operator can act on (wrong URL, unreachable server) is a 422 with its fix, not a 500
        config.routes.exception(
                BackupFailure.class,
                (e, ctx) -> ProblemHandlers.write(ctx, 422, "Unprocessable Content", e.describe()));
        new SecuredRoutes(config)
                .get("/api/v1/backups", READ, this::targets)
                .get("/api/v1/backups/{target}", READ, this::history)
                .post("/api/v1/backups/{target}", OPERATE, this::create)
                .get("/api/v1/backups/{target}/retention", READ, ctx -> retention(ctx, true))
                .post("/api/v1/backups/{target}/retention", OPERATE, ctx -> retention(ctx, false))
                .get("/api/v1/backups/{target}/{id}", READ, this::one)
                .post("/api/v1/backups/{target}/{id}/verify", OPERATE, this::verify)
                .post("/api/v1/backups/{target}/{id}/restore", OPERATE, this::restore)
                .get("/api/v1/backup-jobs/{job}", READ, this::job);
    }

    private void targets(Context ctx) {
        long now = clock.millis();
        ctx.json(Map.of(
                "targets",
                backups.targets().stream()
                        .map(def -> {
                            List<Backup> recent = backups.list(def.name(), 50);
                            Map<String, Object> m = describe(def, backups.destinations(def.name()));
                            if (!recent.isEmpty())
                                m.put("last", recent.getFirst().view(now));
                            recent.stream()
                                    .filter(b -> b.status().equals(Backup.VERIFIED))
                                    .findFirst()
                                    .ifPresent(b -> m.put("last_verified", b.view(now)));
                            DrillResult drill = drills.lastPassedOfTarget(def.name());
                            if (drill != null) m.put("last_passed_drill", drill.view());
                            return m;
                        })
                        .toList()));
    }

    private static Map<String, Object> describe(BackupDef def, List<CompiledDestination> destinations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", def.name());
        m.put("database", def.display());
        m.put("format", def.format());
        m.put("compression", def.compression() + ":" + def.level());
        m.put(
                "destinations",
                destinations.stream()
                        .map(d -> Map.of("name", d.name(), "type", d.def().type(), "where", d.where()))
                        .toList());
        m.put(
                "retention",
                def.destinations().stream()
                        .collect(LinkedHashMap::new, (map, d) -> map.put(d.name(), retention(d)), Map::putAll));
        return m;
    }

    private static String retention(DestinationDef d) {
        if (d.keepLast() == null && d.maxAge() == null) return "keep all";
        return (d.keepLast() == null ? "" : "last " + d.keepLast())
                + (d.keepLast() != null && d.maxAge() != null ? " or " : "")
                + (d.maxAge() == null ? "" : "younger than " + Units.format(d.maxAge()));
    }

    private void history(Context ctx) {
        String target = ctx.pathParam("target");
        int limit = QueryParams.limit(ctx, 50, 1000);
        long now = clock.millis();
        ctx.json(Map.of(
                "target",
                describe(backups.target(target), backups.destinations(target)),
                "backups",
                backups.list(target, limit).stream().map(b -> view(b, now)).toList()));
    }

    private Map<String, Object> view(Backup b, long now) {
        Map<String, Object> m = b.view(now);
        Long progress = backups.progress(b.id());
        if (progress != null) m.put("progress_bytes", progress);
        return m;
    }

    private void create(Context ctx) {
        String target = ctx.pathParam("target");
        backups.target(target);
        long id;
        try {
            id = backups.start(target);
        } catch (BackupFailure e) {
            audit(ctx, "backup.create", "backup:" + target, AuditLog.DENIED, Map.of("error", e.getMessage()));
            throw new ApiProblem(409, "Conflict", e.describe());
        }
        audit(ctx, "backup.create", "backup:" + target, AuditLog.OK, Map.of("backup_id", id));
        ctx.status(202).json(view(backups.get(id), clock.millis()));
    }

    private void one(Context ctx) {
        Backup b = backup(ctx);
        Map<String, Object> m = view(b, clock.millis());
        if (b.manifest() != null) {
            try {
                m.put("manifest", MANIFEST.readTree(b.manifest()));
            } catch (IOException e) {
                m.put("manifest", Map.of()); // written by Opsdeck itself; never expected
            }
        }
        ctx.json(m);
    }

    private static final ObjectMapper MANIFEST = new ObjectMapper();

    private void verify(Context ctx) {
        Backup b = backup(ctx);
        Jobs.Job job = jobs.submit(
                "verify",
                b.id(),
                bytes -> {
                    Backup after = backups.verify(b.id());
                    return Map.of("status", after.status(), "error", after.error() == null ? "" : after.error());
                },
                j -> {});
        audit(ctx, "backup.verify", "backup:" + b.target() + "/" + b.id(), AuditLog.OK, Map.of("job", job.id()));
        ctx.status(202).json(job.view());
    }

    private void restore(Context ctx) {
        JsonBody body = JsonBody.of(ctx, Set.of("url", "confirm", "from"));
        String url = body.text("url", true);
        String from = body.text("from", false);
        Backup b = backup(ctx);
        boolean confirm = Boolean.TRUE.equals(body.bool("confirm"));
        String actor = Requests.principal(ctx).actor(), client = Requests.client(ctx);
        String target = "backup:" + b.target() + "/" + b.id();
        Restore restore;
        try {
            restore = backups.restore(b.id(), url, confirm, from);
        } catch (BackupFailure e) {
            audit.record(actor, client, "restore.refused", target, AuditLog.DENIED, Map.of("error", e.getMessage()));
            throw new ApiProblem(409, "Conflict", e.describe());
        }
        String into = restore.target();
        audit.record(
                actor,
                client,
                "restore.start",
                target,
                AuditLog.OK,
                from == null
                        ? Map.of("into", into, "confirm", confirm)
                        : Map.of("into", into, "confirm", confirm, "from", from));
        Jobs.Job job = jobs.submit(
                "restore",
                b.id(),
                bytes -> {
                    Restore.Result r = restore.run(bytes);
                    return Map.of(
                            "into",
                            r.into(),
                            "replaced",
                            r.replaced(),
                            "duration_ms",
                            r.durationMs(),
                            "bytes_read",
                            r.bytesRead(),
                            "from",
                            r.from(),
                            "skipped",
                            r.skipped());
                },
                j -> audit.record(
                        actor,
                        client,
                        "restore.finish",
                        target,
                        j.status().equals("succeeded") ? AuditLog.OK : AuditLog.FAILED,
                        Map.of("into", into, "job", j.id())));
        ctx.status(202).json(job.view());
    }

    private void retention(Context ctx, boolean dryRun) {
        String target = ctx.pathParam("target");
        List<Backups.Expired> expired = backups.retention(target, dryRun);
        if (!dryRun) audit(ctx, "backup.prune", "backup:" + target, AuditLog.OK, Map.of("deleted", expired.size()));
        ctx.json(Map.of(
                "dry_run",
                dryRun,
                "expired",
                expired.stream()
                        .map(e -> Map.of(
                                "backup_id",
                                e.backupId(),
                                "file",
                                e.file(),
                                "destination",
                                e.destination(),
                                "location",
                                e.location(),
                                "started_at",
                                e.startedAt()))
                        .toList()));
    }

    private void job(Context ctx) {
        Jobs.Job job = jobs.get(ctx.pathParam("job"));
        if (job == null)
            throw ApiProblem.notFound("no backup job '" + ctx.pathParam("job") + "' (jobs are kept for an hour)");
        ctx.json(job.view());
    }

    private Backup backup(Context ctx) {
        String target = ctx.pathParam("target");
        backups.target(target);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("no backup '" + ctx.pathParam("id") + "'");
        }
        Backup b = backups.get(id);
        if (b == null || !b.target().equals(target)) throw ApiProblem.notFound("no backup " + id + " of " + target);
        return b;
    }

    private void audit(Context ctx, String action, String target, String outcome, Map<String, Object> details) {
        audit.record(Requests.principal(ctx).actor(), Requests.client(ctx), action, target, outcome, details);
    }
}
