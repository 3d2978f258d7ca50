package dev.opsdeck.deploy;

import java.util.List;

/**
 * The version a rollback returns to: the one asked for, which must have succeeded before, or else the newest
 * successful version that is not the one running now.
 */
final class RollbackTarget {
    private RollbackTarget() {}

    /**
     * {@code known}: the service's successful versions, newest first; {@code current}: its latest deploy that was
     * not cancelled (null: none).
     */
    static String choose(String service, String to, List<Deploys.Version> known, Deploy current) {
        if (to != null) {
            DeployInput.checkVersion(to);
            if (known.stream().noneMatch(v -> v.version().equals(to))) {
                throw new DeployRefused(
                        DeployRefused.Reason.INVALID,
                        "version " + to + " of " + service + " never succeeded here; recent successful versions: "
                                + describe(known));
            }
            return to;
        }
        String running = current != null && current.state() == DeployState.SUCCEEDED ? current.version() : null;
        return known.stream()
                .map(Deploys.Version::version)
                .filter(v -> !v.equals(running))
                .findFirst()
                .orElseThrow(() -> new DeployRefused(
                        DeployRefused.Reason.INVALID,
                        "no earlier successful version of " + service + " to roll back to"
                                + (known.isEmpty() ? "" : " (successful versions: " + describe(known) + ")")));
    }

    private static String describe(List<Deploys.Version> known) {
        return known.isEmpty()
                ? "none"
                : String.join(
                        ", ",
                        known.stream().limit(10).map(Deploys.Version::version).toList());
    }
}
