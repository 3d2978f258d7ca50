package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.OPERATE;
import static dev.opsdeck.auth.Permission.READ;
import static dev.opsdeck.auth.Permission.RESPOND;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployRefused;
import dev.opsdeck.deploy.DeployStore;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.deploy.Dora;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import dev.opsdeck.web.DeployModels.Approval;
import dev.opsdeck.web.DeployModels.DeployPage;
import dev.opsdeck.web.DeployModels.DeployRow;
import dev.opsdeck.web.DeployModels.DeploysPage;
import dev.opsdeck.web.DeployModels.DoraRow;
import dev.opsdeck.web.DeployModels.EvidenceRow;
import dev.opsdeck.web.DeployModels.RollbackForm;
import dev.opsdeck.web.DeployModels.StartForm;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /deploys}: the change log, newest first, filtered by service and state, the DORA figures of the last 30 days
 * per service, and (for those who may deploy) the deploy form and each service's rollback form. {@code /deploys/{id}}:
 * one deploy with its gate and bake evidence, live through {@code /api/v1/deploys/{id}/events} while it goes, with its
 * approval, cancel and rollback forms. The forms post to {@link DeployActions}.
 */
public final class DeployPages {
    private static final Set<String> STATES = Set.of(
            "pending", "running", "verifying", "succeeded", "failed", "rolled_back", "rollback_failed", "cancelled");
    /** How many successful versions a rollback form offers. */
    static final int VERSIONS = 10;

    private final Deploys deploys;
    private final Supplier<Dora.Result> dora;
    private final Supplier<OpsdeckConfig> config;
    private final AuditLog audit;
    private final Clock clock;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    /** {@code dora}: the figures of the last 30 days; {@code config}: the running configuration (which services deploy). */
    public DeployPages(
            Deploys deploys,
            Supplier<Dora.Result> dora,
            Supplier<OpsdeckConfig> config,
            AuditLog audit,
            Clock clock,
            Assets.Urls assets) {
        this.deploys = deploys;
        this.dora = dora;
        this.config = config;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig c, Nav nav) {
        nav.add("Deploys", "/deploys", READ, 45);
        DeployActions actions = new DeployActions(deploys, this, audit);
        new SecuredRoutes(c)
                .get("/deploys", READ, ctx -> list(ctx, 200, null, null))
                .post("/deploys/start", OPERATE, actions::start)
                .post("/deploys/rollback", OPERATE, actions::rollback)
                .get("/deploys/{id}", READ, ctx -> one(ctx, ctx.pathParam("id"), 200, null, null))
                .post("/deploys/{id}/approve", RESPOND, ctx -> actions.decide(ctx, true))
                .post("/deploys/{id}/reject", RESPOND, ctx -> actions.decide(ctx, false))
                .post("/deploys/{id}/cancel", OPERATE, actions::cancel);
    }

    /** The services with a {@code deploy:} section, in the configuration's order: what the deploy form offers. */
    List<String> deployable() {
        return config.get().services().stream()
                .filter(s -> s.deploy() != null)
                .map(ServiceDef::name)
                .toList();
    }

    // ---- the change log ----

    /** {@code start} / {@code rollback}: a refused form to show again with its error; null for a fresh page. */
    void list(Context ctx, int status, StartForm start, RollbackForm rollback) {
        String service = blankToNull(ctx.queryParam("service"));
        String state = blankToNull(ctx.queryParam("state"));
        if (state != null && !STATES.contains(state)) state = null; // an unknown state filters nothing out
        long now = clock.millis();
        List<DeployRow> rows = deploys.list(new DeployStore.Filter(service, state, null, null, 200, 0)).stream()
                .map(d -> DeployModels.row(d, now))
                .toList();
        List<DoraRow> figures = new ArrayList<>();
        Dora.Result r = dora.get();
        r.byService().forEach((name, f) -> figures.add(dora(name, f)));
        figures.add(dora("all services", r.overall()));
        boolean mayDeploy = OPERATE.allows(Requests.principal(ctx).role());
        List<String> deployable = mayDeploy ? deployable() : List.of();
        StartForm form =
                !mayDeploy ? null : start != null ? start : StartForm.blank(deployable, service == null ? "" : service);
        List<RollbackForm> rollbacks = new ArrayList<>();
        for (String s : deployable) {
            if (service != null && !service.equals(s)) continue;
            if (rollback != null && rollback.service().equals(s)) rollbacks.add(rollback);
            else rollbackForm(s, null, null, null).ifPresent(rollbacks::add);
        }
        Dashboard.html(
                ctx,
                status,
                templates.render(
                        "deploys.jte",
                        new DeploysPage(
                                Viewer.of(ctx),
                                assets.css(),
                                assets.icon(),
                                service == null ? "" : service,
                                state == null ? "" : state,
                                rows,
                                figures,
                                form,
                                rollbacks)));
    }

    /** A service's rollback form; empty when it has no successful version to return to. */
    Optional<RollbackForm> rollbackForm(String service, String chosen, String reason, String error) {
        List<Deploys.Version> versions;
        try {
            versions = deploys.versions(service, VERSIONS);
        } catch (DeployRefused e) {
            return Optional.empty(); // no deploy: section (any more): nothing Opsdeck could roll back with
        }
        if (versions.isEmpty() && error == null) return Optional.empty();
        return Optional.of(DeployModels.rollback(service, versions, chosen, reason, error));
    }

    // ---- one deploy ----

    /** {@code error}: a refused form's message; {@code rollback}: the refused rollback form, to show again. */
    void one(Context ctx, String id, int status, String error, RollbackForm rollback) {
        Optional<Deploy> found = deploys.find(id);
        if (found.isEmpty()) {
            Dashboard.html(
                    ctx,
                    404,
                    templates.render(
                            "deploy_missing.jte",
                            Map.of("viewer", Viewer.of(ctx), "css", assets.css(), "icon", assets.icon(), "id", id)));
            return;
        }
        Dashboard.html(ctx, status, templates.render("deploy.jte", page(ctx, found.get(), error, rollback)));
    }

    private DeployPage page(Context ctx, Deploy d, String error, RollbackForm refused) {
        Principal who = Requests.principal(ctx);
        long start = d.startedMs() != null ? d.startedMs() : d.requestedMs();
        List<EvidenceRow> evidence = deploys.evidence(d.id(), 0).stream()
                .map(e -> DeployModels.evidence(e, start))
                .toList();
        int cursor = evidence.isEmpty() ? 0 : evidence.get(evidence.size() - 1).seq();
        Approval approval = deploys.pendingApproval(d)
                .map(a -> new Approval(a.role(), a.fourEyes()))
                .orElse(null);
        boolean operate = OPERATE.allows(who.role());
        boolean active = !d.state().isFinal();
        RollbackForm rollback = refused != null
                ? refused
                : operate && Deploy.SOURCE_OPSDECK.equals(d.source()) && !active
                        ? rollbackForm(d.service(), null, null, null).orElse(null)
                        : null;
        return new DeployPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                assets.deploy(),
                d.id(),
                d.service(),
                Links.service(d.service()),
                d.environment(),
                d.version(),
                d.previousVersion() == null ? "" : d.previousVersion(),
                d.state().label(),
                DeployModels.pill(d.state().label()),
                active,
                DeployModels.by(d),
                text(d.reason()),
                text(d.description()),
                DeployModels.safeLink(d.link()),
                Format.utc(d.requestedMs()),
                d.startedMs() == null ? "not yet" : Format.utc(d.startedMs()),
                d.endedMs() == null ? "" : Format.utc(d.endedMs()),
                d.startedMs() == null || d.endedMs() == null ? "" : Format.ms(d.endedMs() - d.startedMs()),
                text(d.runId()),
                text(d.rollbackRunId()),
                text(d.rollbackOf()),
                text(d.externalId()),
                approval,
                approval != null && RESPOND.allows(who.role()),
                active && operate && Deploy.SOURCE_OPSDECK.equals(d.source()),
                rollback,
                evidence,
                cursor,
                start,
                error);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static DoraRow dora(String name, Dora.Figures f) {
        return new DoraRow(
                name,
                Integer.toString(f.deploys()),
                String.format(Locale.ROOT, "%.2f", f.perDay()),
                DeployModels.minutes(f.leadTime().medianMs()),
                f.changeFailureRate() == null
                        ? "–"
                        : String.format(Locale.ROOT, "%.0f %%", f.changeFailureRate() * 100),
                DeployModels.minutes(f.recovery().medianMs()));
    }
}
