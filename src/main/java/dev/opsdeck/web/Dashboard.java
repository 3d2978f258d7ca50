package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.ANONYMOUS;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.UptimeBoard;
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
    private final Nav nav = new Nav();
    private final LiveUpdates live;
    private final OverviewBuilder overview;
    private final ServiceBuilder service;

    /** {@code deploys}: the service page lists a service's recent deploys and marks them on its charts. */
    public Dashboard(
            MonitorEngine engine,
            HistoryRepository history,
            UptimeBoard uptime,
            ConfigWatcher watcher,
            Deploys deploys,
            Clock clock) {
        // the errors list is replaced on every rejected reload, so its identity marks a new verdict
        LongSupplier configVersion = () -> watcher.lastReloadMs() * 31 + System.identityHashCode(watcher.lastErrors());
        this.live = new LiveUpdates(configVersion);
        // shared status views are dropped on any state change or reload, whether or not a page is connected
        LongSupplier statusVersion = () -> live.stateVersion() * 31 + configVersion.getAsLong();
        Pages pages =
                new Pages(engine, new StatusSnapshots(engine, statusVersion), history, uptime, watcher, clock, assets);
        this.overview = new OverviewBuilder(pages);
        this.service = new ServiceBuilder(pages, new ServiceDeploys(deploys));
        engine.addListener(live);
    }

    public void register(JavalinConfig config) {
        nav.install(config);
        nav.add("Services", "/", READ, 10);
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

    /**
     * The top-bar links: each page group adds its own with {@code new XPages(...).register(config, dashboard.nav())},
     * and every page shows those its viewer may open.
     */
    public Nav nav() {
        return nav;
    }

    /**
     * The asset links every page shares. Page groups (incidents, runbooks, backups, ...) register their own routes
     * with {@code new XPages(..., dashboard.assets()).register(config, dashboard.nav())}, as the API's route groups
     * do.
     */
    public Assets.Urls assets() {
        return assets.urls();
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
