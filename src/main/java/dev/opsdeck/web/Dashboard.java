package dev.opsdeck.web;

import dev.opsdeck.monitor.ConfigWatcher;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.store.HistoryRepository;
import io.javalin.config.JavalinConfig;
import java.time.Clock;

/** The web dashboard (placeholder until the pages land). */
public final class Dashboard {
    private final MonitorEngine engine;

    public Dashboard(MonitorEngine engine, HistoryRepository history, ConfigWatcher watcher, Clock clock) {
        this.engine = engine;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/", ctx -> ctx.result("Opsdeck: " + engine.checkCount() + " checks"));
    }
}
