package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.BackupFailure;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.DrillDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /backups}: each target's last verified backup (its age is what matters at 3 a.m.), its recent history with
 * every copy's verification, the last passed restore drill (when, RTO, RPO) and the drills' history. Operators get
 * "Back up now" and "Run drill" buttons, which start the work and come back to the page; both are audited as the
 * API's {@code backup.create} and {@code drill.run}.
 */
public final class BackupPages {
    /** One backup as a row. */
    public record Row(
            long id, String status, String pill, String file, String age, String size, String copies, String error) {}

    /** One drill run as a row; {@code problem} is the failed checks with what they measured, or the error. */
    public record DrillRow(
            long id,
            String drill,
            String status,
            String pill,
            String age,
            String file,
            String rto,
            String rpo,
            String problem) {}

    /** The newest passed drill of a target; null fields never shown when there is none ({@code drill} empty). */
    public record LastDrill(String drill, String age, String rto, String rpo) {}

    /** One target: where it backs up to, its last verified backup, recent rows, its drills and their runs. */
    public record Target(
            String name,
            String database,
            String format,
            String destinations,
            String lastVerified,
            String lastVerifiedAge,
            boolean stale,
            List<Row> rows,
            List<String> drills,
            LastDrill lastDrill,
            List<DrillRow> drillRows) {}

    public record BackupsPage(
            Viewer viewer,
            String css,
            String icon,
            List<Target> targets,
            boolean canOperate,
            String notice,
            String error) {}

    private static final long STALE_MS = 26 * 3_600_000L; // a daily backup plus slack
    private final Backups backups;
    private final Drills drills;
    private final AuditLog audit;
    private final Clock clock;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    public BackupPages(Backups backups, Drills drills, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.backups = backups;
        this.drills = drills;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Backups", "/backups", READ, 70);
        new SecuredRoutes(config)
                .get("/backups", READ, ctx -> show(ctx, 200, notice(ctx), null))
                .post("/backups/{target}/create", OPERATE, this::create)
                .post("/drills/{drill}/run", OPERATE, this::runDrill);
    }

    /** What the redirect after a button says: the query carries only a kind and a number, never free text. */
    private static String notice(Context ctx) {
        String backup = ctx.queryParam("started_backup");
        if (backup != null && backup.matches("[0-9]{1,18}")) return "Backup " + backup + " started.";
        String run = ctx.queryParam("started_drill");
        if (run != null && run.matches("[0-9]{1,18}")) return "Drill run " + run + " started.";
        return null;
    }

    private void show(Context ctx, int status, String notice, String error) {
        long now = clock.millis();
        List<Target> targets =
                backups.targets().stream().map(def -> target(def, now)).toList();
        boolean canOperate = OPERATE.allows(Requests.principal(ctx).role());
        Dashboard.html(
                ctx,
                status,
                templates.render(
                        "backups.jte",
                        new BackupsPage(
                                Viewer.of(ctx), assets.css(), assets.icon(), targets, canOperate, notice, error)));
    }

    private void create(Context ctx) {
        String target = ctx.pathParam("target");
        if (backups.targets().stream().noneMatch(d -> d.name().equals(target))) {
            show(ctx, 404, null, "There is no backup target " + target + ".");
            return;
        }
        try {
            long id = backups.start(target);
            record(ctx, "backup.create", "backup:" + target, AuditLog.OK, Map.of("backup_id", id));
            ctx.redirect("/backups?started_backup=" + id, HttpStatus.SEE_OTHER);
        } catch (BackupFailure e) {
            record(ctx, "backup.create", "backup:" + target, AuditLog.DENIED, Map.of("error", e.getMessage()));
            show(ctx, 409, null, e.describe());
        }
    }

    private void runDrill(Context ctx) {
        String drill = ctx.pathParam("drill");
        if (drills.drills().stream().noneMatch(d -> d.name().equals(drill))) {
            show(ctx, 404, null, "There is no drill " + drill + ".");
            return;
        }
        String actor = Requests.principal(ctx).actor();
        try {
            long id = drills.start(drill, actor);
            record(ctx, "drill.run", "drill:" + drill, AuditLog.OK, Map.of("run_id", id));
            ctx.redirect("/backups?started_drill=" + id, HttpStatus.SEE_OTHER);
        } catch (BackupFailure e) {
            record(ctx, "drill.run", "drill:" + drill, AuditLog.DENIED, Map.of("error", e.getMessage()));
            show(ctx, 409, null, e.describe());
        }
    }

    private void record(Context ctx, String action, String target, String outcome, Map<String, Object> details) {
        audit.record(Requests.principal(ctx).actor(), Requests.client(ctx), action, target, outcome, details);
    }

    /** The pill colour of a status; the word is always shown beside it. */
    private static String pill(String status) {
        return switch (status) {
            case Backup.VERIFIED, DrillResult.PASSED -> "pill-up";
            case Backup.FAILED -> "pill-down";
            case Backup.INCOMPLETE, Backup.RUNNING -> "pill-degraded";
            default -> "pill-unknown";
        };
    }

    private Target target(BackupDef def, long now) {
        List<Backup> recent = backups.list(def.name(), 10);
        Backup verified = recent.stream()
                .filter(b -> b.status().equals(Backup.VERIFIED))
                .findFirst()
                .orElse(null);
        List<Row> rows = recent.stream()
                .map(b -> new Row(
                        b.id(),
                        b.status(),
                        pill(b.status()),
                        b.fileName(),
                        Format.ago(b.startedMs(), now),
                        b.sizeBytes() == null ? "" : Units.formatBytes(b.sizeBytes()),
                        String.join(
                                " ",
                                b.copies().stream()
                                        .map(c -> c.destination() + ": " + c.status())
                                        .toList()),
                        b.error() == null ? "" : b.error()))
                .toList();
        List<String> names = drills.drills().stream()
                .filter(d -> d.target().equals(def.name()))
                .map(DrillDef::name)
                .toList();
        List<DrillResult> runs = new ArrayList<>();
        for (String d : names) runs.addAll(drills.list(d, 10));
        runs.sort(Comparator.comparingLong(DrillResult::startedMs).reversed());
        List<DrillRow> drillRows = runs.stream()
                .limit(10)
                .map(r -> new DrillRow(
                        r.id(),
                        r.drill(),
                        r.status(),
                        pill(r.status()),
                        Format.ago(r.startedMs(), now),
                        r.backupFile() == null ? "" : r.backupFile(),
                        duration(r.restoreMs()),
                        duration(r.rpoMs()),
                        problem(r)))
                .toList();
        DrillResult passed = drills.lastPassedOfTarget(def.name());
        LastDrill last = passed == null
                ? null
                : new LastDrill(
                        passed.drill(),
                        Format.ago(passed.finishedMs(), now),
                        duration(passed.restoreMs()),
                        duration(passed.rpoMs()));
        return new Target(
                def.name(),
                def.display(),
                def.format() + ", " + def.compression() + " " + def.level(),
                String.join(
                        ", ",
                        def.destinations().stream()
                                .map(d -> d.name() + " (" + d.type() + ")")
                                .toList()),
                verified == null ? "never" : verified.fileName(),
                verified == null ? "" : Format.ago(verified.startedMs(), now),
                verified == null || now - verified.startedMs() > STALE_MS,
                rows,
                names,
                last,
                drillRows);
    }

    private static String duration(Long ms) {
        return ms == null ? "" : Format.span(ms);
    }

    private static String problem(DrillResult r) {
        List<String> failed =
                r.failedChecks().stream().map(c -> c.name() + ": " + c.detail()).toList();
        if (!failed.isEmpty()) return String.join("; ", failed);
        return r.error() == null ? "" : r.error();
    }
}
