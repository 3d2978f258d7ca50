package dev.opsdeck.incident;

import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.oncall.Page;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@code incidents.notify} channels about an incident. In two steps so that nothing is lost: {@link #ask}
 * writes one notice per channel inside the transaction of the change; {@link #flush} hands notices to the outbox
 * after the commit, and is retried by the housekeeping tick for any a crash or an outbox error left behind
 * (the idempotency key makes a second hand-over a no-op).
 */
final class Paging {
    private static final Logger LOG = LoggerFactory.getLogger(Paging.class);
    /**
     * How long an {@code incident.impacted} update waits before it is handed over, so that dependents failing
     * together (each at its own check's next result) make one update, not one each.
     */
    static final long IMPACTED_WAIT_MS = 10_000;

    private static final String IMPACTED = "incident.impacted";

    private final Store store;
    private final Notifier notifier;
    private final Supplier<IncidentsConfig> config;
    private final Supplier<String> baseUrl;
    private final Clock clock;
    private volatile RecentChanges changes = RecentChanges.NONE;

    Paging(Store store, Notifier notifier, Supplier<IncidentsConfig> config, Supplier<String> baseUrl, Clock clock) {
        this.store = store;
        this.notifier = notifier;
        this.config = config;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    /**
     * Writes the notices for {@code event} ({@code triggered}, {@code acknowledged}, {@code resolved},
     * {@code sla_breached}) of incident {@code id}, as it is now in this transaction. Keys are
     * {@code incident-<id>-<event>-<seq>-<channel>}: seq counts the incident's notifications, so a second
     * "triggered" after a reopen is a new message while a retried hand-over is not.
     */
    void ask(Connection c, long id, String event, String actor, String summary) throws SQLException {
        ask(c, id, event, actor, summary, Set.of());
    }

    /**
     * As above, except to the channels in {@code told}: the escalation already wrote them a message of this same
     * step (a page, which also names whom it pages), and a channel gets one message per incident step.
     */
    void ask(Connection c, long id, String event, String actor, String summary, Set<String> told) throws SQLException {
        ask(c, id, event, actor, summary, told, Map.of());
    }

    /** As above, with {@code extra} fields of this event (e.g. {@code sla}: which target was missed). */
    void ask(
            Connection c,
            long id,
            String event,
            String actor,
            String summary,
            Set<String> told,
            Map<String, Object> extra)
            throws SQLException {
        List<String> channels = config.get().notifyChannels().stream()
                .filter(ch -> !told.contains(ch))
                .toList();
        if (channels.isEmpty()) return;
        int seq = IncidentWrites.nextSeq(c, id);
        Map<String, Object> fields = fields(c, id, actor, summary);
        fields.putAll(extra);
        long now = clock.millis();
        for (String channel : channels) {
            String key = "incident-" + id + "-" + event + "-" + seq + "-" + channel;
            IncidentWrites.notice(c, new Notice(key, id, channel, "incident." + event, fields, now, null, null));
        }
    }

    /**
     * Writes the notices of one escalation step: one per page, keyed {@code incident-<id>-escalated-<seq>-<channel>}
     * plus {@code -<contact>} for a contact, so each person on a shared channel gets their own message.
     */
    Set<String> page(
            Connection c, long id, String template, String actor, String summary, String step, List<Page> pages)
            throws SQLException {
        return page(c, id, "escalated", template, actor, summary, step, pages);
    }

    /** As above, keyed {@code incident-<id>-<event>-<seq>-...}; returns the channels written to. */
    Set<String> page(
            Connection c,
            long id,
            String event,
            String template,
            String actor,
            String summary,
            String step,
            List<Page> pages)
            throws SQLException {
        if (pages.isEmpty()) return Set.of();
        int seq = IncidentWrites.nextSeq(c, id);
        Map<String, Object> base = fields(c, id, actor, summary);
        if (step != null) base.put("step", step);
        long now = clock.millis();
        for (Page p : pages) {
            Map<String, Object> fields = new LinkedHashMap<>(base);
            fields.putAll(p.fields());
            String key = "incident-" + id + "-" + event + "-" + seq + "-" + p.channel()
                    + (p.contact() == null ? "" : "-" + p.contact());
            IncidentWrites.notice(c, new Notice(key, id, p.channel(), template, fields, now, null, null));
        }
        return pages.stream().map(Page::channel).collect(Collectors.toSet());
    }

    /**
     * Services joined an incident that has paged: everyone it told — {@code incidents.notify} and each person and
     * channel its escalation paged, one message per channel and person — hears which services it now impacts
     * ({@code incident.impacted}, key {@code incident-<id>-impacted-<seq>-<channel>[-<contact>]}). An update not yet
     * handed over is replaced by this one, which lists them all and keeps the first one's time: the hand-over waits
     * {@link #IMPACTED_WAIT_MS} from the first join, so a burst of dependents is one message.
     */
    void impacted(Connection c, long id, List<Page> paged) throws SQLException {
        List<Notice> waiting =
                IncidentReads.notices(c, "incident_id = ? AND template = ? AND outbox_id IS NULL", id, IMPACTED);
        long since = waiting.stream().mapToLong(Notice::createdMs).min().orElse(clock.millis());
        Sql.update(
                c,
                "DELETE FROM incident_notification WHERE incident_id = ? AND template = ? AND outbox_id IS NULL",
                id,
                IMPACTED);
        List<String> channels = config.get().notifyChannels();
        if (channels.isEmpty() && paged.isEmpty()) return;
        // the replaced update was never handed over: its number is free again
        int seq = waiting.isEmpty()
                ? IncidentWrites.nextSeq(c, id)
                : Integer.parseInt(waiting.getFirst().idempotencyKey().split("-")[3]);
        Map<String, Object> base =
                fields(c, id, Transitions.SYSTEM, "now impacts " + String.join(", ", IncidentReads.impacted(c, id)));
        Set<String> told = new HashSet<>();
        for (Page p : paged) {
            Map<String, Object> fields = new LinkedHashMap<>(base);
            fields.putAll(p.fields());
            String key = "incident-" + id + "-impacted-" + seq + "-" + p.channel()
                    + (p.contact() == null ? "" : "-" + p.contact());
            IncidentWrites.notice(c, new Notice(key, id, p.channel(), IMPACTED, fields, since, null, null));
            told.add(p.channel());
        }
        for (String channel : channels) {
            if (told.contains(channel)) continue;
            IncidentWrites.notice(
                    c,
                    new Notice(
                            "incident-" + id + "-impacted-" + seq + "-" + channel,
                            id,
                            channel,
                            IMPACTED,
                            base,
                            since,
                            null,
                            null));
        }
    }

    private Map<String, Object> fields(Connection c, long id, String actor, String summary) throws SQLException {
        Incident i = IncidentReads.find(c, id).orElseThrow();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("incident_id", i.id());
        String base = baseUrl.get();
        if (base != null && !base.isBlank())
            fields.put("incident_url", base.replaceAll("/+$", "") + "/incidents/" + i.id());
        fields.put("title", i.title());
        fields.put("status", i.state().label());
        fields.put("started_at", Instant.ofEpochMilli(i.openedMs()).toString());
        fields.put("severity", i.severity());
        fields.put("service", i.service());
        fields.put("root_cause", i.service());
        List<String> impacted = IncidentReads.impacted(c, id);
        fields.put("impacted", impacted);
        List<String> changed = recentChanges(i, impacted);
        // "; " and not the ", " of lists: each line has a comma of its own ("deployed 12 min before, by ci")
        if (!changed.isEmpty()) fields.put("recent_changes", String.join("; ", changed));
        fields.put("runbook", i.runbook());
        fields.put("summary", summary);
        fields.put("actor", actor);
        return fields;
    }

    void recentChangesFrom(RecentChanges source) {
        changes = Objects.requireNonNull(source, "source");
    }

    /**
     * The changes named for incident {@code i}: those of its root cause and its {@code impacted} services before it
     * opened. A source that fails is logged and names nothing: a page must not wait for, or be lost to, a read of
     * the change records.
     */
    List<String> recentChanges(Incident i, List<String> impacted) {
        Set<String> services = new HashSet<>(impacted);
        // an incident opened from intake or by the inventory (a certificate) has no service of its own
        if (i.service() != null) services.add(i.service());
        try {
            return List.copyOf(changes.before(Set.copyOf(services), i.openedMs()));
        } catch (RuntimeException e) {
            LOG.warn("event=recent_changes_failed incident={} error=\"{}\"", i.id(), e.toString());
            return List.of();
        }
    }

    /**
     * Hands every notice not yet in the outbox to it: all in one outbox transaction, then one transaction that
     * records them on their incidents, so a burst of incidents costs two commits here, not two per notice.
     * Should the outbox refuse the lot, each is tried alone; one that still fails is logged and retried at the
     * next flush.
     */
    void flush() {
        long now = clock.millis();
        List<Notice> pending = store.read("incident store", c -> IncidentReads.notices(c, "outbox_id IS NULL")).stream()
                .filter(n -> !n.template().equals(IMPACTED) || n.createdMs() + IMPACTED_WAIT_MS <= now)
                .toList();
        if (pending.isEmpty()) return;
        List<Notifier.Message> messages = pending.stream()
                .map(n -> new Notifier.Message(n.channel(), n.idempotencyKey(), n.template(), n.fields()))
                .toList();
        List<Long> ids;
        try {
            ids = notifier.enqueueAll(messages);
        } catch (RuntimeException batch) {
            ids = new ArrayList<>();
            for (Notice n : pending) {
                try {
                    ids.add(notifier.enqueue(n.channel(), n.idempotencyKey(), n.template(), n.fields()));
                } catch (RuntimeException e) {
                    LOG.warn("event=incident_notice_failed key={} error=\"{}\"", n.idempotencyKey(), e.toString());
                    ids.add(null);
                }
            }
        }
        List<Long> outboxIds = ids;
        store.inTransaction("incident store", c -> {
            for (int k = 0; k < pending.size(); k++) {
                Notice n = pending.get(k);
                Long outboxId = outboxIds.get(k);
                if (outboxId == null) continue;
                if (Sql.update(
                                c,
                                "UPDATE incident_notification SET outbox_id = ? WHERE idempotency_key = ?"
                                        + " AND outbox_id IS NULL",
                                outboxId,
                                n.idempotencyKey())
                        == 1) {
                    IncidentWrites.timeline(
                            c,
                            n.incidentId(),
                            clock.millis(),
                            "notification",
                            "opsdeck",
                            n.template() + " to " + n.channel(),
                            Map.of(
                                    "channel",
                                    n.channel(),
                                    "template",
                                    n.template(),
                                    "idempotency_key",
                                    n.idempotencyKey(),
                                    "outbox_id",
                                    outboxId));
                }
            }
            return null;
        });
    }

    /** The seam for the outbox to report a delivery (e.g. {@code delivered}, {@code failed: 500}) on the incident. */
    boolean delivered(String idempotencyKey, String result) {
        return store.inTransaction("incident store", c -> {
            List<Notice> found = IncidentReads.notices(c, "idempotency_key = ?", idempotencyKey);
            if (found.isEmpty()) return false;
            Notice n = found.getFirst();
            Sql.update(
                    c,
                    "UPDATE incident_notification SET delivery = ? WHERE idempotency_key = ?",
                    IncidentWrites.cut(result, 200),
                    idempotencyKey);
            IncidentWrites.timeline(
                    c,
                    n.incidentId(),
                    clock.millis(),
                    "delivery",
                    "opsdeck",
                    n.template() + " to " + n.channel() + ": " + result,
                    Map.of("channel", n.channel(), "idempotency_key", idempotencyKey, "result", result));
            return true;
        });
    }
}
