package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployStore;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.deploy.Dora;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /deploys}: the change log, newest first, filtered by service and state, and the DORA figures of the last
 * 30 days per service. Read-only: deploys and rollbacks are started from the CLI or the API.
 */
public final class DeployPages {
    private static final Set<String> STATES = Set.of(
            "pending", "running", "verifying", "succeeded", "failed", "rolled_back", "rollback_failed", "cancelled");

    /** One deploy as a row. */
    public record DeployRow(
            String id,
            String service,
            String environment,
            String version,
            String previous,
            String state,
            String pill,
            String by,
            String at,
            String reason) {}

    /** One service's DORA figures, formatted. */
    public record DoraRow(
            String service, String deploys, String perDay, String leadTime, String failureRate, String recovery) {}

    public record DeploysPage(
            Viewer viewer,
            String css,
            String icon,
            String service,
            String state,
            List<DeployRow> deploys,
            List<DoraRow> dora) {}

    private final Deploys deploys;
    private final Supplier<Dora.Result> dora;
    private final Clock clock;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    /** {@code dora}: the figures of the last 30 days. */
    public DeployPages(Deploys deploys, Supplier<Dora.Result> dora, Clock clock, Assets.Urls assets) {
        this.deploys = deploys;
        this.dora = dora;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig config, Nav nav) {
        nav.add("Deploys", "/deploys", READ, 45);
        new SecuredRoutes(config).get("/deploys", READ, this::show);
    }

    private void show(Context ctx) {
        String service = blankToNull(ctx.queryParam("service"));
        String state = blankToNull(ctx.queryParam("state"));
        if (state != null && !STATES.contains(state)) state = null; // an unknown state filters nothing out
        long now = clock.millis();
        List<DeployRow> rows = deploys.list(new DeployStore.Filter(service, state, null, null, 200, 0)).stream()
                .map(d -> row(d, now))
                .toList();
        List<DoraRow> figures = new ArrayList<>();
        Dora.Result r = dora.get();
        r.byService().forEach((name, f) -> figures.add(dora(name, f)));
        figures.add(dora("all services", r.overall()));
        Dashboard.html(
                ctx,
                200,
                templates.render(
                        "deploys.jte",
                        new DeploysPage(
                                Viewer.of(ctx),
                                assets.css(),
                                assets.icon(),
                                service == null ? "" : service,
                                state == null ? "" : state,
                                rows,
                                figures)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static DeployRow row(Deploy d, long now) {
        String state = d.state().label();
        String pill = switch (state) {
            case "succeeded" -> "pill-up";
            case "pending", "running", "verifying", "cancelled", "rolled_back" -> "pill-degraded";
            default -> "pill-down";
        };
        long at = d.endedMs() != null ? d.endedMs() : d.requestedMs();
        return new DeployRow(
                d.id(),
                d.service(),
                d.environment(),
                d.version(),
                d.previousVersion() == null ? "" : d.previousVersion(),
                state,
                pill,
                d.actor() + " (" + d.source() + ")",
                Instant.ofEpochMilli(at) + " (" + Format.ago(at, now) + ")",
                d.reason() == null ? "" : d.reason());
    }

    private static DoraRow dora(String name, Dora.Figures f) {
        return new DoraRow(
                name,
                Integer.toString(f.deploys()),
                String.format(java.util.Locale.ROOT, "%.2f", f.perDay()),
                minutes(f.leadTime().medianMs()),
                f.changeFailureRate() == null
                        ? "–"
                        : String.format(java.util.Locale.ROOT, "%.0f %%", f.changeFailureRate() * 100),
                minutes(f.recovery().medianMs()));
    }

    private static String minutes(Long ms) {
        return ms == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f min", ms / 60_000.0);
    }
}
