package dev.opsdeck.server;

import dev.opsdeck.api.DeployRoutes;
import dev.opsdeck.api.RunbookRoutes;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.gate.Access;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.runbook.RunbookMetrics;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.store.Store;
import dev.opsdeck.web.Dashboard;
import dev.opsdeck.web.DeployPages;
import dev.opsdeck.web.RunbookChoices;
import dev.opsdeck.web.RunbookPages;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What people and alerts do about a problem: runbooks and their runs. Runbooks read the running config at each
 * use (reloads apply); a run linked to an incident notes its timeline; alerts that opted in start their runbook.
 */
record Acting(
        Runbooks runbooks,
        RunbookMetrics metrics,
        Deploys deploys,
        DeployLinks links,
        Paging paging,
        Supplier<OpsdeckConfig> config,
        Clock clock) {

    static Acting start(
            Store store,
            RunningConfig running,
            CheckTypes types,
            Watching watching,
            Paging paging,
            Clock clock,
            Started started) {
        RunbookMetrics[] metrics = new RunbookMetrics[1]; // made once the service exists
        Runbooks runbooks = started.add(new Runbooks(
                store,
                () -> running.get().config().runbooks(),
                id -> running.get().runbooks().get(id),
                types,
                id -> running.get().checks().get(id),
                paging.outbox(),
                run -> {
                    RunTimeline.note(paging.incidents(), run);
                    if (!run.status().active() && metrics[0] != null) metrics[0].refresh();
                },
                clock));
        runbooks.markInterrupted(); // runs a previous process left running were cut short
        metrics[0] = new RunbookMetrics(runbooks, watching.registry());
        paging.autoRuns().use(runbooks);
        // deploys carry changes out through the runbooks, and page through the incidents like every alert
        Deploys deploys = started.add(new Deploys(
                store,
                () -> running.get().config(),
                id -> running.get().checks().get(id),
                types,
                runbooks,
                new DeployFacts(paging),
                paging.incidents(),
                paging.outbox(),
                clock));
        deploys.markInterrupted(); // deploys a previous process left running end failed, saying why
        // incidents name the production deploys before them; /metrics carries the DORA figures
        DeployLinks links = new DeployLinks(
                deploys::production,
                paging.incidents(),
                clock,
                () -> running.get().config().deploys());
        paging.incidents().recentChangesFrom(links.recentChanges());
        return new Acting(
                runbooks,
                metrics[0],
                deploys,
                links,
                paging,
                () -> running.get().config(),
                clock);
    }

    /** The DORA lines for /metrics, at most a minute old. */
    Supplier<String> doraMetrics() {
        return links::cachedMetrics;
    }

    /** The runbooks an incident's page offers. */
    RunbookChoices choices() {
        return new RunbookChoices(runbooks);
    }

    void register(JavalinConfig c, Access access, Dashboard dashboard) {
        new RunbookRoutes(runbooks, access).register(c);
        new DeployRoutes(deploys, days -> links.figures(Duration.ofDays(days)), access.audit()).register(c);
        new DeployPages(deploys, links::figures, config, access.audit(), clock, dashboard.assets())
                .register(c, dashboard.nav());
        new RunbookPages(runbooks, paging.incidents(), access.audit(), clock, dashboard.assets())
                .register(c, dashboard.nav());
    }

    void housekeep(ScheduledExecutorService housekeeping) {
        housekeeping.scheduleWithFixedDelay(metrics::refresh, 1, 1, TimeUnit.MINUTES); // "untested" ages
    }
}
