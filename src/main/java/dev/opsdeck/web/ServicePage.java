package dev.opsdeck.web;

import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.ServiceStatus.CheckStatus;
import dev.opsdeck.probe.Status;
import java.util.List;

/** Everything {@code service.jte} prints for one service. */
public record ServicePage(
        Chrome chrome,
        ServiceStatus service,
        List<CheckView> checks,
        ChartWindow window,
        List<WindowLink> windows,
        List<Link> dependsOn,
        List<Link> impactedBy,
        List<Link> dependents,
        String liveUrl,
        String historyProblem,
        List<DeployLine> deploys,
        String changeLogUrl)
        implements PageModel {

    /** One check with its chart for the selected window. */
    public record CheckView(
            CheckStatus check, HistoryChart chart, String lastRun, String lastRunAt, String since, String values) {}

    /** A link to another service, with that service's status so a dependency's trouble shows at a glance. */
    public record Link(String name, String url, Status status) {}

    /** One of the service's recent deploys, for its short change log. */
    public record DeployLine(
            String id, String version, String previous, String state, String pill, String by, String at) {}

    public record WindowLink(String label, String url, boolean current) {}
}
