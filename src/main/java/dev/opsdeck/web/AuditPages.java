package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.ADMINISTER;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code /audit}: the newest audit entries, filtered by actor and action, 100 per page. */
public final class AuditPages {
    public record AuditPage(
            Viewer viewer,
            String css,
            String icon,
            String actor,
            String action,
            List<AuditLog.Entry> entries,
            String olderUrl,
            String exportUrl) {}

    private static final int PAGE = 100;

    private final AuditLog audit;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    public AuditPages(AuditLog audit, Assets.Urls assets) {
        this.audit = audit;
        this.assets = assets;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config).get("/audit", ADMINISTER, this::show);
    }

    private void show(Context ctx) {
        String actor = blankToNull(ctx.queryParam("actor"));
        String action = blankToNull(ctx.queryParam("action"));
        Long before = null;
        String b = ctx.queryParam("before");
        if (b != null && b.matches("[0-9]{1,18}")) before = Long.parseLong(b);
        List<AuditLog.Entry> entries = audit.query(new AuditLog.Filter(actor, action, null, null, null, PAGE, before));
        String filter = (actor == null ? "" : "&actor=" + OverviewQuery.encode(actor))
                + (action == null ? "" : "&action=" + OverviewQuery.encode(action));
        String older =
                entries.size() == PAGE ? "/audit?before=" + entries.getLast().id() + filter : null;
        String export = "/api/v1/audit/export" + (filter.isEmpty() ? "" : "?" + filter.substring(1));
        AuditPage page = new AuditPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                actor == null ? "" : actor,
                action == null ? "" : action,
                entries,
                older,
                export);
        Dashboard.html(ctx, 200, templates.render("audit.jte", page));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
