package dev.opsdeck.checklist;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.ChecklistDef;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Pages through the same path as every other alert (the incident manager): an item that was proven in the previous
 * run and is not in this one fires {@code ChecklistItemFailed}, P2 for a required item and P4 for a recommended one;
 * an item proven again resolves it (a no-op when none fires). The fingerprint is {@code checklist/NAME/ITEM}.
 */
final class ChecklistAlerts {
    static final String NAME = "ChecklistItemFailed";
    private final AlertSink sink;
    private final Clock clock;

    ChecklistAlerts(AlertSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void compare(ChecklistDef def, Map<String, ItemResult> previous, Map<String, ItemResult> now) {
        if (sink == null) return;
        for (ChecklistDef.Item item : def.items()) {
            ItemResult before = previous.get(item.id());
            ItemResult after = now.get(item.id());
            if (before == null || after == null) continue;
            if (before.state().proven() && !after.state().proven()) {
                sink.accept(event(def, item, after, AlertEvent.State.FIRING));
            } else if (!before.state().proven() && after.state().proven()) {
                sink.accept(event(def, item, after, AlertEvent.State.RESOLVED));
            }
        }
    }

    /** False when this instance raises no alerts (nothing fires, nothing is listed). */
    boolean enabled() {
        return sink != null;
    }

    /** The alert an item raised and that still fires: the event it fired with, dated when its failure began. */
    AlertEvent stillFiring(ChecklistDef def, ChecklistDef.Item item, ItemResult latest, long sinceMs) {
        return event(def, item, latest, AlertEvent.State.FIRING).at(java.time.Instant.ofEpochMilli(sinceMs));
    }

    private AlertEvent event(ChecklistDef def, ChecklistDef.Item item, ItemResult r, AlertEvent.State state) {
        boolean required = item.severity() == ChecklistDef.Severity.REQUIRED;
        String summary = state == AlertEvent.State.FIRING
                ? "checklist " + def.name() + ": " + item.title() + " is "
                        + r.state().label() + ": " + r.message()
                : "checklist " + def.name() + ": " + item.title() + " is "
                        + r.state().label() + " again";
        return new AlertEvent(
                "checklist/" + def.name() + "/" + item.id(),
                "checklist",
                NAME,
                state,
                required ? AlertEvent.Severity.P2 : AlertEvent.Severity.P4,
                null,
                null,
                List.of(),
                false,
                Map.of(
                        "checklist",
                        def.name(),
                        "item",
                        item.id(),
                        "severity",
                        item.severity().label()),
                summary,
                item.link() == null ? null : "why and how to fix: " + item.link(),
                null,
                clock.instant(),
                null);
    }
}
