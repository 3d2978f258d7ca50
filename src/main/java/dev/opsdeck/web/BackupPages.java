package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * {@code /backups}: each target's last verified backup (its age is what matters at 3 a.m.) and its recent
 * history with every copy's verification. Read-only: backups are started and restored from the CLI or API.
 */
public final class BackupPages {
    /** One backup as a row. */
    public record Row(long id, String status, String pill, String file, String age, String size, String copies, String error) {}

    /** One target: where it backs up to, its last verified backup and recent rows. */
    public record Target(String name, String database, String format, String destinations, String lastVerified,
                         String lastVerifiedAge, boolean stale, List<Row> rows) {}

    public record BackupsPage(Viewer viewer, String css, String icon, List<Target> targets) {}

    private static final long STALE_MS = 26 * 3_600_000L; // a daily backup plus slack
    private final Backups backups;
    private final Clock clock;
    private final Templates templates = new Templates();
    private final Assets.Urls assets;

    BackupPages(Backups backups, Clock clock, Assets.Urls assets) {
        this.backups = backups;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config).get("/backups", READ, this::show);
    }

    private void show(Context ctx) {
        long now = clock.millis();
        List<Target> targets = backups.targets().stream().map(def -> target(def, now)).toList();
        Dashboard.html(ctx, 200, templates.render("backups.jte", new BackupsPage(Viewer.of(ctx), assets.css(), assets.icon(),
                targets)));
    }

    /** The pill colour of a status; the word is always shown beside it. */
    private static String pill(String status) {
        return switch (status) {
            case Backup.VERIFIED -> "pill-up";
            case Backup.FAILED -> "pill-down";
            case Backup.INCOMPLETE, Backup.RUNNING -> "pill-degraded";
            default -> "pill-unknown";
        };
    }

    private Target target(BackupDef def, long now) {
        List<Backup> recent = backups.list(def.name(), 10);
        Backup verified = recent.stream().filter(b -> b.status().equals(Backup.VERIFIED)).findFirst().orElse(null);
        List<Row> rows = recent.stream().map(b -> new Row(b.id(), b.status(), pill(b.status()), b.fileName(), Format.ago(b.startedMs(), now),
                b.sizeBytes() == null ? "" : Units.formatBytes(b.sizeBytes()),
                String.join(" ", b.copies().stream().map(c -> c.destination() + ": " + c.status()).toList()),
                b.error() == null ? "" : b.error())).toList();
        return new Target(def.name(), def.display(), def.format() + ", " + def.compression() + " " + def.level(),
                String.join(", ", def.destinations().stream().map(d -> d.name() + " (" + d.type() + ")").toList()),
                verified == null ? "never" : verified.fileName(), verified == null ? "" : Format.ago(verified.startedMs(), now),
                verified == null || now - verified.startedMs() > STALE_MS, rows);
    }
}
