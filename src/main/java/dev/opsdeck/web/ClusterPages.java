package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.READ;

import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /cluster}: the nodes sharing the store, which are alive, which one leads, how many checks each probes and
 * whether each runs the configuration the others run: what {@code GET /api/v1/cluster} says, as a page. The server
 * hands it the status (the web layer does not know the cluster); each load reads it afresh from the store.
 */
public final class ClusterPages {
    /** One node as a row; {@code state} is live, dead or stopped. */
    public record Node(
            String id,
            String state,
            boolean leader,
            boolean self,
            String host,
            String version,
            String heartbeatAt,
            long heartbeatAgeMs,
            int ownedChecks,
            boolean configMatches) {
        public String pill() {
            return switch (state) {
                case "live" -> "pill-up";
                case "dead" -> "pill-down";
                default -> "pill-unknown";
            };
        }
    }

    /**
     * {@code configProblem}: null, or why this node's configuration differs from the others'; {@code leader}: null
     * while no node holds the lead.
     */
    public record Status(String leader, int liveNodes, String configHash, String configProblem, List<Node> nodes) {
        /** Live nodes whose configuration is not the one most live nodes run. */
        public long mismatched() {
            return nodes.stream()
                    .filter(n -> n.state().equals("live") && !n.configMatches())
                    .count();
        }
    }

    public record ClusterPage(Viewer viewer, String css, String icon, Status status) {}

    private final Supplier<Status> status;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    public ClusterPages(Supplier<Status> status, Assets.Urls assets) {
        this.status = status;
        this.assets = assets;
    }

    /** The route, and its top-bar link in {@code nav}. */
    public void register(JavalinConfig config, Nav nav) {
        nav.add("Cluster", "/cluster", READ, 95);
        new SecuredRoutes(config).get("/cluster", READ, this::show);
    }

    private void show(Context ctx) {
        Dashboard.html(
                ctx,
                200,
                templates.render(
                        "cluster.jte", new ClusterPage(Viewer.of(ctx), assets.css(), assets.icon(), status.get())));
    }
}
