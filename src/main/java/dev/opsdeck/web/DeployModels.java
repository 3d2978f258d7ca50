package dev.opsdeck.web;

import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.deploy.Evidence;
import java.util.List;
import java.util.Locale;

/** What the deploy templates print: strings already formatted, so the templates only place them. */
public final class DeployModels {
    private DeployModels() {}

    /** One deploy as a row of the change log. */
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

    /**
     * The deploy form: the services it offers, and after a refusal what was sent and why; {@code frozen} when the
     * refusal was a freeze, which then offers the override (with its reason).
     */
    public record StartForm(
            List<String> services, String service, String version, String reason, String error, boolean frozen) {
        static StartForm blank(List<String> services, String service) {
            return new StartForm(services, service, "", "", null, false);
        }
    }

    /** A version a rollback can return to. */
    public record VersionChoice(String version, String label, boolean selected) {}

    /** The rollback form of one service: its successful versions, newest first, and a refusal if there was one. */
    public record RollbackForm(
            String service, String running, List<VersionChoice> versions, String reason, String error) {}

    public record DeploysPage(
            Viewer viewer,
            String css,
            String icon,
            String service,
            String state,
            List<DeployRow> deploys,
            List<DoraRow> dora,
            StartForm start,
            List<RollbackForm> rollbacks) {}

    /** One line of the evidence timeline; {@code body} is the failing response as kept (capped when stored). */
    public record EvidenceRow(
            int seq,
            String at,
            String offset,
            String phase,
            String name,
            String result,
            String pill,
            String detail,
            String body,
            String bodyNote) {}

    /** The approval a pending deploy waits for. */
    public record Approval(String role, boolean fourEyes) {}

    /** One deploy: its facts, its evidence so far, and the forms the viewer may use. */
    public record DeployPage(
            Viewer viewer,
            String css,
            String icon,
            String script,
            String id,
            String service,
            String serviceUrl,
            String environment,
            String version,
            String previous,
            String state,
            String pill,
            boolean active,
            String by,
            String reason,
            String description,
            String link,
            String requested,
            String started,
            String ended,
            String duration,
            String runId,
            String rollbackRunId,
            String rollbackOf,
            String externalId,
            Approval approval,
            boolean canDecide,
            boolean canCancel,
            RollbackForm rollback,
            List<EvidenceRow> evidence,
            int cursor,
            long startMs,
            String error) {}

    /** The pill colour of a state, as the change log, the deploy page and deploy.js show it. */
    static String pill(String state) {
        return switch (state) {
            case "succeeded" -> "pill-up";
            case "pending", "running", "verifying", "cancelled", "rolled_back" -> "pill-degraded";
            default -> "pill-down";
        };
    }

    static DeployRow row(Deploy d, long now) {
        long at = d.endedMs() != null ? d.endedMs() : d.requestedMs();
        return new DeployRow(
                d.id(),
                d.service(),
                d.environment(),
                d.version(),
                d.previousVersion() == null ? "" : d.previousVersion(),
                d.state().label(),
                pill(d.state().label()),
                by(d),
                Format.utc(at) + " (" + Format.ago(at, now) + ")",
                d.reason() == null ? "" : d.reason());
    }

    static String by(Deploy d) {
        return d.actor() + " (" + (Deploy.SOURCE_CI.equals(d.source()) ? "reported by CI" : "through Opsdeck") + ")";
    }

    /**
     * {@code startMs}: when the deploy began, for the offset column ("+12.3 s"). A body that reached the stored cap
     * says so, so nobody takes a cut response for the whole one.
     */
    static EvidenceRow evidence(Evidence e, long startMs) {
        String body = e.body() == null ? "" : e.body();
        return new EvidenceRow(
                e.seq(),
                Format.clock(e.atMs()),
                "+" + Format.ms(Math.max(0, e.atMs() - startMs)),
                e.phase(),
                e.name(),
                e.passed() ? "passed" : "failed",
                e.passed() ? "pill-up" : "pill-down",
                e.detail() == null ? "" : e.detail(),
                body,
                body.length() >= Evidence.BODY_CAP ? "cut at " + Evidence.BODY_CAP + " characters" : "");
    }

    static RollbackForm rollback(
            String service, List<Deploys.Version> versions, String chosen, String reason, String error) {
        String running = versions.isEmpty() ? "" : versions.get(0).version();
        // the default choice is the newest version that is not the one running now: what "roll back" means
        String pick =
                chosen != null ? chosen : versions.size() > 1 ? versions.get(1).version() : running;
        List<VersionChoice> choices = versions.stream()
                .map(v -> new VersionChoice(
                        v.version(),
                        v.version() + " · " + Format.utc(v.atMs()) + " by " + v.actor()
                                + (v.version().equals(running) ? " (last successful)" : ""),
                        v.version().equals(pick)))
                .toList();
        return new RollbackForm(service, running, choices, reason == null ? "" : reason, error);
    }

    /** Only http(s) links become anchors: a reported {@code javascript:} link must not run on a click. */
    static String safeLink(String link) {
        if (link == null) return "";
        String l = link.strip().toLowerCase(Locale.ROOT);
        return l.startsWith("https://") || l.startsWith("http://") ? link.strip() : "";
    }

    static String minutes(Long ms) {
        return ms == null ? "–" : String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
    }
}
