package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.ANONYMOUS;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.store.HistoryRepository;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The web dashboard: server-rendered HTML pages, live fragments that htmx swaps in, and one SSE
 * stream that says when to fetch them. Routes:
 * <ul>
 *   <li>{@code GET /} and {@code GET /fragments/overview}: all services, paged, problems first</li>
 *   <li>{@code GET /services/{name}} and {@code GET /fragments/services/{name}}: one service with charts</li>
 *   <li>{@code GET /events}: server-sent events, at most about one per second per browser</li>
 *   <li>{@code GET /assets/{file}}: CSS, script and htmx from the classpath</li>
 * </ul>
 */
public final class Dashboard {
    /**
     * No inline script or style anywhere, so the policy can forbid both: even if some text slipped
     * through unescaped, the browser would not run it.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Assets assets = new Assets();
    private final PageTemplates templates = new PageTemplates();
    private final LiveUpdates live;
    private final OverviewBuilder overview;
    private final ServiceBuilder service;
    private final MonitorEngine engine;

    public Dashboard(MonitorEngine engine, HistoryRepository history, ConfigWatcher watcher, Clock clock) {
        this.engine = engine;
        // the errors list is replaced on every rejected reload, so its identity marks a new verdict
        LongSupplier configVersion = () -> watcher.lastReloadMs() * 31 + System.identityHashCode(watcher.lastErrors());
        this.live = new LiveUpdates(configVersion);
        // shared status views are dropped on any state change or reload, whether or not a page is connected
        LongSupplier statusVersion = () -> live.stateVersion() * 31 + configVersion.getAsLong();
        Pages pages = new Pages(engine, new StatusSnapshots(engine, statusVersion), history, watcher, clock, assets);
        this.overview = new OverviewBuilder(pages);
        this.service = new ServiceBuilder(pages);
        engine.addListener(live);
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/", READ, ctx -> page(ctx, 200, "overview.jte", overview.build(query(ctx), Viewer.of(ctx))))
                .get(
                        "/fragments/overview",
                        READ,
                        ctx -> fragment(ctx, 200, "overview_live.jte", overview.build(query(ctx), Viewer.of(ctx))))
                .get("/services/{name}", READ, ctx -> servicePage(ctx, false))
                .get("/fragments/services/{name}", READ, ctx -> servicePage(ctx, true))
                .sse("/events", READ, live::subscribe)
                .get("/assets/{file}", ANONYMOUS, assets::serve);
        config.events.serverStarted(live::start);
        config.events.serverStartFailed(live::close);
        config.events.serverStopping(live::close); // open streams would otherwise hold up the shutdown
    }

    /** Sign-in, account and audit pages, sharing the dashboard's look and assets. */
    public void registerAccess(JavalinConfig config, Access access, Clock clock) {
        Assets.Urls urls = assets.urls();
        new AccountPages(
                        access.users(),
                        access.sessions(),
                        access.audit(),
                        access.auth(),
                        access.dataDir(),
                        new SignIn(access.secure()),
                        urls)
                .register(config);
        new ApiKeyPages(access.apiKeys(), access.audit(), clock, urls).register(config);
        new AuditPages(access.audit(), urls).register(config);
    }

    /** The incident list and incident pages, with their respond forms (and the runbooks to run, once registered). */
    public void registerIncidents(
            JavalinConfig config,
            dev.opsdeck.incident.IncidentManager incidents,
            java.util.function.Predicate<String> userExists,
            dev.opsdeck.audit.AuditLog audit,
            Clock clock) {
        new IncidentPages(
                        incidents,
                        userExists,
                        audit,
                        clock,
                        assets.urls(),
                        (detail, rule) ->
                                runbookPages == null ? java.util.List.of() : runbookPages.choices(detail, rule))
                .register(config);
    }

    private volatile RunbookPages runbookPages;

    /** The runbook catalogue with its start forms, and the run pages with their live steps and output. */
    public void registerRunbooks(
            JavalinConfig config,
            dev.opsdeck.runbook.Runbooks runbooks,
            dev.opsdeck.incident.IncidentManager incidents,
            dev.opsdeck.audit.AuditLog audit,
            Clock clock) {
        runbookPages = new RunbookPages(runbooks, incidents, audit, clock, assets.urls());
        runbookPages.register(config);
    }

    /** The silences page, with forms to add and end silences. */
    public void registerSilences(
            JavalinConfig config,
            dev.opsdeck.silence.Silences silences,
            dev.opsdeck.audit.AuditLog audit,
            Clock clock) {
        new SilencePages(silences, audit, clock, assets.urls()).register(config);
    }

    /** The post-incident review list and the page to write one. */
    public void registerReviews(
            JavalinConfig config, dev.opsdeck.review.Reviews reviews, dev.opsdeck.audit.AuditLog audit, Clock clock) {
        new ReviewPages(reviews, audit, clock, assets.urls()).register(config);
    }

    /** The backups page: each target's last verified backup, history and restore drills, with buttons to start them. */
    public void registerBackups(
            JavalinConfig config,
            dev.opsdeck.backup.Backups backups,
            dev.opsdeck.backup.Drills drills,
            dev.opsdeck.audit.AuditLog audit,
            Clock clock) {
        new BackupPages(backups, drills, audit, clock, assets.urls()).register(config);
    }

    public void registerSchedules(JavalinConfig config, dev.opsdeck.schedule.Scheduler scheduler, Clock clock) {
        new SchedulePages(scheduler, clock, assets.urls()).register(config);
    }

    public void registerOnCall(
            JavalinConfig config,
            dev.opsdeck.oncall.OnCall oncall,
            dev.opsdeck.maintenance.MaintenanceWindows maintenance,
            dev.opsdeck.audit.AuditLog audit,
            Clock clock) {
        new OnCallPages(
                        oncall,
                        maintenance,
                        () -> new java.util.LinkedHashSet<>(engine.serviceNames()),
                        audit,
                        clock,
                        assets.urls())
                .register(config);
    }

    private static OverviewQuery query(Context ctx) {
        return OverviewQuery.parse(ctx.queryParam("page"), ctx.queryParam("status"), ctx.queryParam("q"));
    }

    private void servicePage(Context ctx, boolean fragment) {
        String name = ctx.pathParam("name");
        Viewer viewer = Viewer.of(ctx);
        var found = service.build(name, ChartWindow.parse(ctx.queryParam("window")), viewer);
        if (found.isPresent()) {
            if (fragment) fragment(ctx, 200, "service_live.jte", found.get());
            else page(ctx, 200, "service.jte", found.get());
        } else if (fragment) {
            // a service removed by a reload turns its open page into this notice (htmx is told to swap 404s)
            fragment(ctx, 404, "not_found_live.jte", new NotFoundPage(service.chrome(viewer), name));
        } else {
            page(ctx, 404, "not_found.jte", new NotFoundPage(service.chrome(viewer), name));
        }
    }

    private void page(Context ctx, int status, String template, PageModel model) {
        html(ctx, status, templates.render(template, model));
    }

    /** The live region's content plus the status bar marked for an out-of-band swap into the header. */
    private void fragment(Context ctx, int status, String template, PageModel model) {
        String statusBar = templates.render("part/statusbar.jte", Map.of("chrome", model.chrome(), "oob", true));
        html(ctx, status, statusBar + templates.render(template, model));
    }

    static void html(Context ctx, int status, String body) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store"); // status pages must never come from a cache
        ctx.status(status).contentType("text/html; charset=utf-8").result(body);
    }
}
