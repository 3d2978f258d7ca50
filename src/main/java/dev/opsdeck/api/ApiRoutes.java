package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.ANONYMOUS;
import static dev.opsdeck.auth.Permission.METRICS;
import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.config.BuildVersion;
import dev.opsdeck.config.Units;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.UptimeBoard;
import dev.opsdeck.store.HistoryRepository;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/** The operational endpoints and the read API under {@code /api/v1}. Thin: all logic lives in the services. */
public final class ApiRoutes {
    private final MonitorEngine engine;
    private final HistoryRepository history;
    private final UptimeBoard uptime;
    private final ConfigWatcher watcher;
    private final PrometheusMeterRegistry metrics;
    private final Supplier<List<String>> readinessProblems;
    private final Clock clock;
    private final LongConsumer scraped;
    private final Supplier<String> moreMetrics;

    /**
     * {@code scraped} is told the time of each answered {@code GET /metrics} (the {@code metrics.scraped} fact);
     * {@code moreMetrics} gives lines computed elsewhere (the DORA figures), appended to the registry's.
     */
    public ApiRoutes(
            MonitorEngine engine,
            HistoryRepository history,
            UptimeBoard uptime,
            ConfigWatcher watcher,
            PrometheusMeterRegistry metrics,
            Supplier<List<String>> readinessProblems,
            Clock clock,
            LongConsumer scraped,
            Supplier<String> moreMetrics) {
        this.engine = engine;
        this.history = history;
        this.uptime = uptime;
        this.watcher = watcher;
        this.metrics = metrics;
        this.readinessProblems = readinessProblems;
        this.clock = clock;
        this.scraped = scraped;
        this.moreMetrics = moreMetrics;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/health", ANONYMOUS, ctx -> ctx.json(Map.of("status", "ok")))
                .get("/ready", ANONYMOUS, this::ready)
                .get("/metrics", METRICS, ctx -> {
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape() + moreMetrics.get());
                    scraped.accept(clock.millis());
                })
                .get(
                        "/api/v1/version",
                        READ,
                        ctx -> ctx.json(Map.of("name", "opsdeck", "version", BuildVersion.current())))
                .get("/api/v1/openapi.yaml", READ, this::openapi)
                .get("/api/v1/services", READ, this::services)
                .get("/api/v1/services/{name}", READ, this::service)
                .get("/api/v1/checks/{service}/{check}/history", READ, this::history)
                .get("/api/v1/config/status", READ, this::configStatus);
        ProblemHandlers.register(config);
    }

    private void ready(Context ctx) {
        List<String> problems = readinessProblems.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "ready" : "not ready");
        body.put("problems", problems);
        ctx.status(problems.isEmpty() ? 200 : 503).json(body);
    }

    private void services(Context ctx) {
        ServiceQuery query = ServiceQuery.read(ctx);
        ServiceQuery.Page page = query.page(engine.services(), engine.serviceDefs());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "services",
                page.services().stream().map(s -> ApiViews.service(s, uptime)).toList());
        body.put("total", page.total());
        body.put("next", page.next());
        ctx.json(body);
    }

    private void service(Context ctx) {
        String name = ctx.pathParam("name");
        // the one service and its dependency paths, not engine.services(): that builds every service's view
        ServiceStatus s = engine.service(name);
        if (s == null) throw ApiProblem.notFound("no service named '" + name + "'");
        ctx.json(ApiViews.service(s, uptime));
    }

    private void history(Context ctx) throws SQLException {
        String id = ctx.pathParam("service") + "/" + ctx.pathParam("check");
        // a map lookup, not engine.services(): that builds every service's view, costly with 10,000 checks
        if (!engine.runs(id)) throw ApiProblem.notFound("no check named '" + id + "'");
        String windowText = ctx.queryParam("window") == null ? "24h" : ctx.queryParam("window");
        Duration window = Units.duration(windowText);
        if (window == null || window.isZero() || window.toDays() > 400) {
            throw ApiProblem.badRequest(
                    "window: expected a duration up to 400d such as 1h, 24h, 30d; got '" + windowText + "'");
        }
        long since = clock.millis() - window.toMillis();
        char resolution = window.compareTo(Duration.ofHours(6)) <= 0 ? 'm' : window.toDays() <= 30 ? 'h' : 'd';
        List<HistoryRepository.Bucket> buckets = history.buckets(id, resolution, since);
        var summary = history.summaries(List.of(id), resolution, since).get(id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("check", id);
        body.put("window", windowText);
        body.put(
                "resolution",
                switch (resolution) {
                    case 'm' -> "minute";
                    case 'h' -> "hour";
                    default -> "day";
                });
        body.put("summary", summary == null ? null : ApiViews.bucket(summary));
        body.put("buckets", buckets.stream().map(ApiViews::bucket).toList());
        if (window.compareTo(Duration.ofHours(1)) <= 0) {
            body.put("results", ApiViews.raws(history.raw(id, since, 500)));
        }
        ctx.json(body);
    }

    private void configStatus(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        var errors = watcher.lastErrors();
        body.put("valid", errors.isEmpty());
        body.put("errors", errors.stream().map(Object::toString).toList());
        body.put("checks", engine.checkCount());
        ctx.json(body);
    }

    private void openapi(Context ctx) throws IOException {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) throw ApiProblem.notFound("openapi document missing from this build");
            ctx.contentType("application/yaml").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
