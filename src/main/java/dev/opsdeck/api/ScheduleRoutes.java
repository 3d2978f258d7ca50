package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.config.ScheduleDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.schedule.Scheduler;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/schedules}: every schedule with its next fire times and last run, and the runs of one (read); run
 * one now (operate, audited as {@code schedule.run}).
 */
public final class ScheduleRoutes {
    private static final int NEXT = 5;
    private final Scheduler scheduler;
    private final AuditLog audit;

    public ScheduleRoutes(Scheduler scheduler, AuditLog audit) {
        this.scheduler = scheduler;
        this.audit = audit;
    }

    public void register(JavalinConfig config) {
        ProblemHandlers.notFound(config, Scheduler.UnknownSchedule.class);
        new SecuredRoutes(config)
                .get("/api/v1/schedules", READ, this::list)
                .get("/api/v1/schedules/{name}", READ, this::one)
                .post("/api/v1/schedules/{name}/run", OPERATE, this::runNow);
    }

    private void list(Context ctx) {
        ctx.json(Map.of(
                "schedules",
                scheduler.list(NEXT).stream().map(ScheduleRoutes::view).toList()));
    }

    private void one(Context ctx) {
        String name = ctx.pathParam("name");
        Map<String, Object> v = view(scheduler.entry(name, NEXT));
        v.put(
                "runs",
                scheduler.runs(name, QueryParams.limit(ctx, 50, 1000)).stream()
                        .map(r -> r.view())
                        .toList());
        ctx.json(v);
    }

    private void runNow(Context ctx) {
        String name = ctx.pathParam("name");
        scheduler.schedule(name);
        String actor = Requests.principal(ctx).actor();
        var run = scheduler.runNow(name, actor);
        audit.record(
                actor,
                Requests.client(ctx),
                "schedule.run",
                "schedule:" + name,
                AuditLog.OK,
                Map.of("fire_time", run.view().get("fire_time"), "status", run.status()));
        ctx.status(202).json(run.view());
    }

    static Map<String, Object> view(Scheduler.Entry e) {
        ScheduleDef d = e.def();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("description", d.description());
        m.put("cron", d.cron() == null ? null : d.cron().toString());
        m.put("time_zone", d.zone().getId());
        m.put("jitter", Units.format(d.jitter()));
        m.put(
                "target",
                d.target() == null ? null : d.target().kind() + ":" + d.target().ref());
        m.put("missed", d.missed().name().toLowerCase(Locale.ROOT));
        m.put("grace", Units.format(d.grace()));
        m.put("overlap", d.overlap().name().toLowerCase(Locale.ROOT));
        m.put("next", e.next().stream().map(Object::toString).toList());
        m.put("last", e.last() == null ? null : e.last().view());
        return m;
    }
}
