package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.BackupFailure;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.config.DrillDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/drills}: restore drills with their last run and last passed run, a drill's history (read); start
 * a run (operate, audited as {@code drill.run}), polled at {@code /api/v1/drill-runs/{id}}.
 */
public final class DrillRoutes {
    private final Drills drills;
    private final AuditLog audit;

    public DrillRoutes(Drills drills, AuditLog audit) {
        this.drills = drills;
        this.audit = audit;
    }

    public void register(JavalinConfig config) {
        ProblemHandlers.notFound(config, Drills.UnknownDrill.class);
        new SecuredRoutes(config)
                .get("/api/v1/drills", READ, this::list)
                .get("/api/v1/drills/{drill}", READ, this::history)
                .post("/api/v1/drills/{drill}/runs", OPERATE, this::start)
                .get("/api/v1/drill-runs/{id}", READ, this::one);
    }

    private void list(Context ctx) {
        ctx.json(Map.of("drills", drills.drills().stream().map(this::summary).toList()));
    }

    private Map<String, Object> summary(DrillDef def) {
        Map<String, Object> m = describe(def);
        List<DrillResult> last = drills.list(def.name(), 1);
        if (!last.isEmpty()) m.put("last", last.getFirst().view());
        DrillResult passed = drills.lastPassed(def.name());
        if (passed != null) m.put("last_passed", passed.view());
        return m;
    }

    /** A drill as configured: the scratch server is shown without its password. */
    static Map<String, Object> describe(DrillDef def) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", def.name());
        m.put("target", def.target());
        m.put("backup", def.backupId() == null ? "latest" : def.backupId().toString());
        m.put(
                "scratch",
                def.scratch().privateInstance()
                        ? "private"
                        : def.scratch().toString().replaceFirst("^server\\[(.*)]$", "$1"));
        m.put("timeout", Units.format(def.timeout()));
        if (def.minTables() != null) m.put("min_tables", def.minTables());
        m.put(
                "tables",
                def.tables().stream()
                        .map(t -> {
                            Map<String, Object> e = new LinkedHashMap<>();
                            e.put("table", t.table());
                            e.put("min_rows", t.minRows());
                            if (t.withinPercent() != null) e.put("within_percent_of_source", t.withinPercent());
                            return e;
                        })
                        .toList());
        m.put(
                "assertions",
                def.assertions().stream()
                        .map(a -> Map.of("name", a.name(), "query", a.query(), "expect", a.expect()))
                        .toList());
        return m;
    }

    private void history(Context ctx) {
        DrillDef def = drills.drill(ctx.pathParam("drill"));
        int limit = QueryParams.limit(ctx, 50, 1000);
        ctx.json(Map.of(
                "drill",
                describe(def),
                "runs",
                drills.list(def.name(), limit).stream().map(DrillResult::view).toList()));
    }

    private void start(Context ctx) {
        DrillDef def = drills.drill(ctx.pathParam("drill"));
        String actor = Requests.principal(ctx).actor();
        long id;
        try {
            id = drills.start(def.name(), actor);
        } catch (BackupFailure e) {
            audit.record(
                    actor,
                    Requests.client(ctx),
                    "drill.run",
                    "drill:" + def.name(),
                    AuditLog.DENIED,
                    Map.of("error", e.getMessage()));
            throw new ApiProblem(409, "Conflict", e.describe());
        }
        audit.record(
                actor, Requests.client(ctx), "drill.run", "drill:" + def.name(), AuditLog.OK, Map.of("run_id", id));
        ctx.status(202).json(drills.get(id).view());
    }

    private void one(Context ctx) {
        String text = ctx.pathParam("id");
        DrillResult r = text.matches("[0-9]{1,18}") ? drills.get(Long.parseLong(text)) : null;
        if (r == null) throw ApiProblem.notFound("no drill run '" + text + "'");
        ctx.json(r.view());
    }
}
