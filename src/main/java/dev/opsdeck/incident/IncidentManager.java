package dev.opsdeck.incident;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.store.SqlWork;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incidents: alert events in, grouped incidents with their timeline, SLA clock and notifications out. Every change
 * is one transaction, serialised by one lock (one node today: two alerts of the same outage arriving together
 * must not open two incidents); notices are handed to the outbox after the commit.
 */
public final class IncidentManager implements AlertSink {
    /** Which incidents: each non-null field narrows; state {@code open} means not resolved. */
    public record Filter(String state, String severity, String service, int limit) {}

    /** An incident with everything that hangs off it. */
    public record Detail(
            Incident incident,
            List<IncidentAlert> alerts,
            List<String> impacted,
            List<TimelineEntry> timeline,
            List<Notice> notices) {}

    /** The window of the MTTA and MTTR gauges. */
    public static final Duration METRICS_WINDOW = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(IncidentManager.class);

    private final Store store;
    private final Supplier<IncidentsConfig> config;
    private final Clock clock;
    private final Paging paging;
    private final Transitions transitions;
    private final Escalations escalations;
    private final Grouping grouping;
    private final IncidentMetrics metrics;
    private final ReentrantLock writes = new ReentrantLock();
    private final ConcurrentLinkedQueue<Handed> inbox = new ConcurrentLinkedQueue<>();
    private final Notifier notifier;
    /** Alert events waiting for the store, in order; written and replayed under {@link #writes}. */
    private volatile AlertJournal journal = new AlertJournal(null);
    /** Set when an alert event found the store away; cleared when every kept event is applied. */
    private volatile boolean outage;

    private volatile long outageSinceMs;
    private volatile Runnable recovered = () -> {};
    private volatile Consumer<AlertEvent> inheritedFiring = e -> {};
    private volatile boolean tickFailing;
    private Thread retrier; // under this

    /** {@code baseUrl} starts the links in notifications ({@code <baseUrl>/incidents/<id>}); null or blank: no link. */
    public IncidentManager(
            Store store,
            Notifier notifier,
            Supplier<IncidentsConfig> config,
            Supplier<String> baseUrl,
            MeterRegistry registry,
            Clock clock) {
        this(store, notifier, config, () -> OnCallConfig.NONE, baseUrl, registry, clock);
    }

    /** With escalation policies: {@code oncall} routes each paging incident to one (see {@link Escalations}). */
    public IncidentManager(
            Store store,
            Notifier notifier,
            Supplier<IncidentsConfig> config,
            Supplier<OnCallConfig> oncall,
            Supplier<String> baseUrl,
            MeterRegistry registry,
            Clock clock) {
        this.store = store;
        this.notifier = notifier;
        this.config = config;
        this.clock = clock;
        this.paging = new Paging(store, notifier, config, baseUrl, clock);
        this.metrics = new IncidentMetrics(registry);
        this.escalations = new Escalations(paging, oncall, metrics);
        this.transitions = new Transitions(paging, config, escalations, metrics);
        this.grouping = new Grouping(transitions, paging, config, escalations);
    }

    /**
     * From the rules engine: returns once the event is committed (or its failure logged; never throws, so a store
     * outage does not stop the engine). Events that arrive while another change holds the write lock are applied
     * together by the next thread to get it, in one transaction and one hand-over to the outbox (a group
     * commit): 100 alerts firing in the same second cost a few commits, not 100 of each.
     */
    @Override
    public void accept(AlertEvent event) {
        acceptInto(event);
    }

    /**
     * As {@link #accept}; returns the incident the event opened or joined, or null (none, or not stored yet: an
     * event the store could not take is kept and applied once it answers, see {@link #journalIn}).
     */
    public Long acceptInto(AlertEvent event) {
        Handed mine = new Handed(event);
        inbox.add(mine);
        writes.lock();
        try {
            if (mine.done) return mine.incident; // a batch of an earlier holder took it
            List<Handed> batch = new ArrayList<>();
            for (Handed h; (h = inbox.poll()) != null; ) batch.add(h);
            applyAll(batch);
            return mine.incident;
        } finally {
            writes.unlock();
        }
    }

    /**
     * Keeps alert events the store cannot take in {@code dataDir/spool/alerts} (forced to disk, so a kill does
     * not lose them) instead of in memory; events a previous process kept there are applied from now on, in order,
     * before any new one.
     */
    public IncidentManager journalIn(Path dataDir) {
        writes.lock();
        try {
            AlertJournal kept = new AlertJournal(dataDir.resolve("spool").resolve("alerts"));
            for (AlertJournal.Entry e; (e = journal.first()) != null; journal.removeFirst(e)) {
                kept.append(e.event(), e.paged()); // waiting in memory already: behind the earlier process's events
            }
            journal = kept;
            if (!kept.isEmpty()) {
                LOG.info("event=alert_journal_found events={} note=\"applied once the store answers\"", kept.size());
                retrying();
            }
            return this;
        } finally {
            writes.unlock();
        }
    }

    /** Runs after kept events were applied following a store outage (the server reconciles firing alerts there). */
    public void onRecovery(Runnable action) {
        this.recovered = action;
    }

    /**
     * Hears each firing event an earlier process kept and this one applied: the alert engine of this process never
     * saw it fire (its state was not stored either), and must know it is firing to tell its resolution.
     */
    public void onInheritedFiring(Consumer<AlertEvent> action) {
        this.inheritedFiring = action;
    }

    /**
     * Plugs in what changed on the services before an incident opened (the server: the deploy records), which the
     * incident's notifications and page then name; {@link RecentChanges#NONE} until this is called.
     */
    public void recentChangesFrom(RecentChanges source) {
        paging.recentChangesFrom(source);
    }

    /**
     * The changes named for incident {@code i} whose {@code impacted} services are these (as in its {@link Detail}):
     * empty when none is known, or when reading them failed (logged).
     */
    public List<String> recentChanges(Incident i, List<String> impacted) {
        return paging.recentChanges(i, impacted);
    }

    /** Whether the firing of alert {@code fingerprint} that began at {@code firedMs} (or a later one) is in an incident. */
    public boolean recorded(String fingerprint, long firedMs) {
        return store.read("incident store", c -> Fallback.recorded(c, fingerprint, firedMs));
    }

    /**
     * Keeps an event for later, after those kept before it. While the store is away a firing alert that would page
     * is paged at once through the notifier's local path (the journal entry first, so that a kill in between
     * makes the page go out later, through the outbox, rather than twice).
     */
    private void defer(AlertEvent e, RuntimeException cause) {
        if (cause != null && !outage) {
            outage = true;
            outageSinceMs = clock.millis();
            LOG.warn(
                    "event=paging_fallback_started reason=\"{}\" note=\"alert events wait in the data directory;"
                            + " pages go out from the local spool until the store answers\"",
                    cause.getMessage());
        }
        List<String> channels = List.of();
        if (outage && e.state() == AlertEvent.State.FIRING && !e.suppressed())
            channels = config.get().notifyChannels();
        journal.append(e, channels);
        if (!channels.isEmpty()) {
            try {
                notifier.fallback(Fallback.pages(e, channels));
            } catch (RuntimeException ex) { // the incident's page goes out through the outbox once the store answers
                LOG.error(
                        "event=paging_fallback_failed fingerprint=\"{}\" error=\"{}\"", e.fingerprint(), ex.toString());
            }
        }
        retrying();
    }

    private synchronized void retrying() {
        if (retrier == null)
            retrier =
                    Thread.ofPlatform().name("opsdeck-incident-retry").daemon().start(this::retryLoop);
        notifyAll();
    }

    /** Applies kept events in order, with backoff while the store is away (1 s, doubling, at most 10 s). */
    private void retryLoop() {
        long backoff = 1_000;
        while (true) {
            synchronized (this) {
                try {
                    while (journal.isEmpty()) wait();
                } catch (InterruptedException e) {
                    return;
                }
            }
            // a cheap question first (bounded to 2 s), so the lock is not held through the pool's connection timeout
            String problem = store.problem();
            if (problem == null && replayAll()) {
                backoff = 1_000;
                if (outage) {
                    outage = false;
                    LOG.info(
                            "event=paging_fallback_ended outage_ms={} note=\"the store answers; incidents caught up\"",
                            clock.millis() - outageSinceMs);
                }
                try {
                    recovered.run();
                } catch (RuntimeException e) {
                    LOG.warn("event=alert_reconcile_failed error=\"{}\"", e.toString());
                }
                continue;
            }
            LOG.debug("event=alert_journal_waiting events={} problem=\"{}\"", journal.size(), problem);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    /** Applies every kept event, each in its own transaction; false when the store went away meanwhile. */
    private boolean replayAll() {
        List<AlertEvent> inherited = new ArrayList<>();
        try {
            return replayAll(inherited);
        } finally {
            // outside the write lock: the alert engine takes an alert's lock before this one when it fires
            for (AlertEvent e : inherited) inheritedFiring.accept(e);
        }
    }

    private boolean replayAll(List<AlertEvent> inherited) {
        writes.lock();
        try {
            for (AlertJournal.Entry e; (e = journal.first()) != null; ) {
                try {
                    replay(e);
                    if (e.inherited() && e.event().state() == AlertEvent.State.FIRING) inherited.add(e.event());
                } catch (RuntimeException ex) {
                    if (unavailable(ex)) return false;
                    // the store answers and refuses this one: keeping it would hold back every later event
                    LOG.error(
                            "event=incident_alert_failed fingerprint=\"{}\" error=\"{}\"",
                            e.event().fingerprint(),
                            ex.toString());
                }
                journal.removeFirst(e);
            }
            return true;
        } finally {
            writes.unlock();
        }
    }

    private void replay(AlertJournal.Entry entry) {
        AlertEvent e = entry.event();
        change(c -> {
            long now = clock.millis();
            if (Fallback.applied(c, e)) return null; // replayed twice (a kill after its commit)
            Optional<Long> id = grouping.apply(c, e, e.source(), now);
            if (id.isPresent() && !entry.paged().isEmpty()) Fallback.adopt(c, id.get(), e, entry.paged(), now);
            return null;
        });
    }

    /** All in one transaction; should that fail, each alone, so one event the store refuses loses no other. */
    private void applyAll(List<Handed> batch) {
        if (!journal.isEmpty()) { // behind the events waiting for the store, in order
            for (Handed h : batch) defer(h.event, null);
            for (Handed h : batch) h.done = true;
            return;
        }
        try {
            List<Long> touched = change(c -> {
                List<Long> ids = new ArrayList<>();
                for (Handed h : batch)
                    ids.add(grouping.apply(c, h.event, h.event.source(), clock.millis())
                            .orElse(null));
                return ids;
            });
            for (int i = 0; i < batch.size(); i++) batch.get(i).incident = touched.get(i);
        } catch (RuntimeException e) {
            if (unavailable(e)) {
                for (Handed h : batch) defer(h.event, e);
                return;
            }
            for (Handed h : batch) {
                try {
                    if (!journal.isEmpty()) {
                        defer(h.event, null);
                    } else if (batch.size() > 1) {
                        h.incident = change(c -> grouping.apply(c, h.event, h.event.source(), clock.millis()))
                                .orElse(null);
                    } else {
                        throw e;
                    }
                } catch (RuntimeException alone) {
                    if (unavailable(alone)) {
                        defer(h.event, alone);
                        continue;
                    }
                    LOG.error(
                            "event=incident_alert_failed fingerprint=\"{}\" error=\"{}\"",
                            h.event.fingerprint(),
                            alone.toString());
                }
            }
        } finally {
            for (Handed h : batch) h.done = true;
        }
    }

    /**
     * Whether a failed change failed because the store is away (worth keeping the event for), not because it
     * refused it: said by the error, or else by the store not answering a ping now (a pool can report a lost
     * connection as a plain "connection is closed").
     */
    private boolean unavailable(RuntimeException e) {
        return Store.unavailable(e) || store.problem() != null;
    }

    /** An alert event waiting for the write lock; {@code done} and {@code incident} are written and read under it. */
    private static final class Handed {
        final AlertEvent event;
        boolean done;
        Long incident;

        Handed(AlertEvent event) {
            this.event = event;
        }
    }

    /** Applies events in one transaction (all or nothing); returns the incidents touched, in event order. */
    public List<Long> acceptAll(List<AlertEvent> events, String actor) {
        return change(c -> {
            List<Long> touched = new ArrayList<>();
            for (AlertEvent e : events)
                grouping.apply(c, e, actor, clock.millis()).ifPresent(touched::add);
            return touched;
        });
    }

    public Incident acknowledge(long id, String actor) {
        return change(c -> {
            transitions.acknowledge(c, existing(c, id), actor, clock.millis());
            return existing(c, id);
        });
    }

    public Incident resolve(long id, String actor) {
        return change(c -> {
            transitions.resolve(c, existing(c, id), actor, clock.millis(), null);
            return existing(c, id);
        });
    }

    public Incident reopen(long id, String actor) {
        return change(c -> {
            transitions.reopen(c, existing(c, id), actor, clock.millis());
            return existing(c, id);
        });
    }

    /** A markdown note, stored exactly as written. */
    public TimelineEntry note(long id, String actor, String text) {
        return change(c -> {
            existing(c, id);
            long entry = IncidentWrites.timeline(c, id, clock.millis(), "note", actor, text, Map.of());
            return IncidentReads.timeline(c, id).stream()
                    .filter(t -> t.id() == entry)
                    .findFirst()
                    .orElseThrow();
        });
    }

    public Incident assign(long id, String actor, String user) {
        return change(c -> {
            Incident i = existing(c, id);
            long now = clock.millis();
            IncidentWrites.set(c, id, now, Collections.singletonMap("assignee", user));
            IncidentWrites.timeline(
                    c,
                    id,
                    now,
                    "assigned",
                    actor,
                    user == null ? "unassigned" : "assigned to " + user,
                    i.assignee() == null ? Map.of() : Map.of("previous", i.assignee()));
            return existing(c, id);
        });
    }

    public Optional<Incident> find(long id) {
        return store.read("incident store", c -> IncidentReads.find(c, id));
    }

    public List<Incident> list(Filter filter) {
        return store.read("incident store", c -> IncidentReads.list(c, filter));
    }

    public Optional<Detail> detail(long id) {
        return store.read("incident store", c -> {
            Optional<Incident> i = IncidentReads.find(c, id);
            if (i.isEmpty()) return Optional.empty();
            return Optional.of(new Detail(
                    i.get(),
                    IncidentReads.alerts(c, id),
                    IncidentReads.impacted(c, id),
                    IncidentReads.timeline(c, id),
                    IncidentReads.notices(c, "incident_id = ?", id)));
        });
    }

    /** Where the incident's escalation stands (policy, state, next step and when); empty without a policy. */
    public Optional<Map<String, Object>> escalation(long id) {
        return store.read("incident store", c -> {
            Optional<Incident> i = IncidentReads.find(c, id);
            return i.isEmpty() ? Optional.empty() : Optional.ofNullable(Escalations.view(c, i.get()));
        });
    }

    public List<String> impacted(long id) {
        return store.read("incident store", c -> IncidentReads.impacted(c, id));
    }

    public IncidentStats stats(Duration window) {
        return store.read("incident store", c -> IncidentStats.compute(c, clock.millis() - window.toMillis()));
    }

    /** The outbox reports a delivery result of one of this manager's notices; false when the key is not ours. */
    public boolean delivered(String idempotencyKey, String result) {
        // under the write lock: an attempt the outbox started during a hand-over reports after the hand-over's
        // "notification" entry is on the timeline, never before it
        writes.lock();
        try {
            return paging.delivered(idempotencyKey, result);
        } finally {
            writes.unlock();
        }
    }

    /**
     * The housekeeping beat: acknowledged incidents past {@code incidents.ack_timeout} go back to triggered, missed
     * targets are flagged, due escalation steps run, notices the outbox did not take are handed over again, metrics are refreshed.
     */
    public void tick() {
        try {
            long now = clock.millis();
            long ackTimeout = config.get().ackTimeout().toMillis();
            change(c -> {
                for (Incident i :
                        IncidentReads.where(c, "state = 'acknowledged' AND acked_ms <= ?", now - ackTimeout)) {
                    transitions.ackTimeout(c, i, now);
                }
                for (Incident i : IncidentReads.where(
                        c,
                        "resolved_ms IS NULL AND paged = 1 AND first_acked_ms IS NULL"
                                + " AND ack_breached = 0 AND ack_due_ms < ?",
                        now)) {
                    transitions.breach(c, i, "ack", now);
                }
                for (Incident i : IncidentReads.where(
                        c, "resolved_ms IS NULL AND resolve_breached = 0 AND resolve_due_ms < ?", now)) {
                    transitions.breach(c, i, "resolve", now);
                }
                escalations.tick(c, now); // due escalation steps
                return null;
            });
            metrics.update(stats(METRICS_WINDOW));
            if (tickFailing) LOG.info("event=incident_tick_recovered");
            tickFailing = false;
        } catch (RuntimeException e) {
            // once per outage, not every 15 s
            if (!tickFailing) LOG.warn("event=incident_tick_failed error=\"{}\"", e.toString());
            else LOG.debug("event=incident_tick_failed error=\"{}\"", e.toString());
            tickFailing = true;
        }
    }

    private static Incident existing(Connection c, long id) throws SQLException {
        return IncidentReads.find(c, id).orElseThrow(() -> new NoSuchIncident(id));
    }

    private <T> T change(SqlWork<T> work) {
        writes.lock();
        try {
            T result;
            try {
                result = store.inTransaction("incident store", work);
            } catch (RuntimeException e) {
                metrics.rolledBack();
                throw e;
            }
            metrics.committed();
            try {
                paging.flush();
            } catch (RuntimeException e) { // committed; the next tick hands the notices over
                LOG.warn("event=incident_flush_failed error=\"{}\"", e.toString());
            }
            return result;
        } finally {
            writes.unlock();
        }
    }
}
