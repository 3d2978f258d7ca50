package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.config.Units;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.schedule.ScheduleRun;
import dev.opsdeck.schedule.Scheduler;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code /schedules}: each schedule's next fire times and its recent runs with their results. Read-only: a run is
 * started from the CLI or the API.
 */
public final class SchedulePages {
    /** One run as a row. */
    public record Row(
            String fireTime, String cause, String status, String pill, String duration, String ref, String message) {}

    /** One schedule: what it runs, when, its next times and recent rows. */
    public record Schedule(
            String name,
            String description,
            String cron,
            String zone,
            String target,
            String policies,
            List<String> next,
            List<Row> rows) {}

    public record SchedulesPage(Viewer viewer, String css, String icon, List<Schedule> schedules) {}

    private final Scheduler scheduler;
    private final Clock clock;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    public SchedulePages(Scheduler scheduler, Clock clock, Assets.Urls assets) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.assets = assets;
    }

    /** The group's routes, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Schedules", "/schedules", READ, 80);
        new SecuredRoutes(config).get("/schedules", READ, this::show);
    }

    private void show(Context ctx) {
        long now = clock.millis();
        List<Schedule> schedules = scheduler.list(3).stream()
                .map(e -> new Schedule(
                        e.def().name(),
                        e.def().description(),
                        String.valueOf(e.def().cron()),
                        e.def().zone().getId(),
                        e.def().target() == null
                                ? ""
                                : e.def().target().kind() + ": "
                                        + e.def().target().ref(),
                        "missed: " + e.def().missed().name().toLowerCase(Locale.ROOT) + ", overlap: "
                                + e.def().overlap().name().toLowerCase(Locale.ROOT),
                        e.next().stream().map(Instant::toString).toList(),
                        scheduler.runs(e.def().name(), 10).stream()
                                .map(r -> row(r, now))
                                .toList()))
                .toList();
        Dashboard.html(
                ctx,
                200,
                templates.render(
                        "schedules.jte", new SchedulesPage(Viewer.of(ctx), assets.css(), assets.icon(), schedules)));
    }

    private static Row row(ScheduleRun r, long now) {
        return new Row(
                Instant.ofEpochMilli(r.fireMs()) + " (" + Format.ago(r.fireMs(), now) + ")",
                r.cause(),
                r.status(),
                pill(r.status()),
                r.durationMs() == null ? "" : Units.format(Duration.ofMillis(r.durationMs())),
                r.ref() == null ? "" : r.ref(),
                r.message() == null ? "" : r.message());
    }

    /** The pill colour of a result; the word is always shown beside it. */
    private static String pill(String status) {
        return switch (status) {
            case ScheduleRun.OK -> "pill-up";
            case ScheduleRun.FAILED, ScheduleRun.MISSED -> "pill-down";
            case ScheduleRun.RUNNING, ScheduleRun.QUEUED, ScheduleRun.SKIPPED -> "pill-degraded";
            default -> "pill-unknown";
        };
    }
}
