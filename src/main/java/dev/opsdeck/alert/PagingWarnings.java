package dev.opsdeck.alert;

import dev.opsdeck.config.AlertRule;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.PagingConfig;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Valid configurations that can never page, for {@code opsdeck config check}: legal (a check turned off for a
 * while, a first configuration without channels yet), so warnings, not errors — but each is a page that will not
 * come, so the person writing the file should hear of it before an outage does.
 */
public final class PagingWarnings {
    private PagingWarnings() {}

    /** One line per warning, {@code file:line:col: warning: message}, in file order. */
    public static List<String> of(OpsdeckConfig config, Map<String, CompiledCheck> checks, CheckTypes types) {
        List<String> out = new ArrayList<>();
        PagingConfig paging = config.paging();
        for (AlertRule r : paging.alerts().rules().values()) {
            // a rule on a disabled check is a load error already ("unknown check")
            if (r.service() != null
                    && config.service(r.service())
                            .map(s -> s.checks().stream().noneMatch(c -> checks.containsKey(c.id())))
                            .orElse(false)) {
                out.add(r.targetPosition() + ": warning: alerts.rules." + r.name() + ": service " + r.service()
                        + " has no enabled check, so this rule can never fire");
            }
        }
        boolean alerts = !RuleBook.compile(config, checks, types).byFingerprint.isEmpty();
        if (alerts
                && paging.incidents().notifyChannels().isEmpty()
                && paging.oncall().policies().isEmpty()) {
            String file = config.files().isEmpty()
                    ? "opsdeck.yaml"
                    : config.files().getFirst().toString();
            out.add(file + ": warning: no alert can page anyone: incidents.notify names no channel and no escalation"
                    + " policy is defined (hint: incidents: { notify: [CHANNEL] } with a channel under channels:)");
        }
        return out;
    }
}
