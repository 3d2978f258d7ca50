package dev.opsdeck.notify;

import dev.opsdeck.config.TemplateText;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Notifier}: {@link #enqueue} commits a row to the outbox and returns; one platform thread
 * ({@code opsdeck-notify}) polls for due rows and hands each attempt to the {@link DeliveryWorker}.
 * Guarantee: at least once per idempotency key. A row is written before any attempt and marked delivered
 * right after the receiver's 2xx; a kill between those two moments (or the store failing to record the
 * 2xx) resends that message once the attempt's lease (timeout + 30 s) has passed, with the same key.
 */
public final class Outbox implements Notifier, AutoCloseable {
    static final long POLL_MS = 500, GAUGE_EVERY_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final OutboxStore store;
    private final Supplier<Channels> channels;
    private final Supplier<String> publicUrl;
    private final NotifyMetrics metrics;
    private final Clock clock;
    private final DeliveryWorker worker;
    private final Semaphore wake = new Semaphore(0);
    private final HttpSender http;
    private final Transport transport;
    private final Backoff backoff;
    private volatile PageSpool spool; // null without a data directory
    private volatile Thread thread;
    private volatile boolean running;

    /** {@code channels} and {@code publicUrl} are read at every use, so a config reload applies to what is still pending. */
    public Outbox(
            Store store, Supplier<Channels> channels, Supplier<String> publicUrl, MeterRegistry registry, Clock clock) {
        this(store, channels, publicUrl, registry, clock, new Random(), DeliveryWorker.LEASE_MARGIN_MS);
    }

    Outbox(
            Store store,
            Supplier<Channels> channels,
            Supplier<String> publicUrl,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random) {
        this(store, channels, publicUrl, registry, clock, random, DeliveryWorker.LEASE_MARGIN_MS);
    }

    /** {@code leaseMarginMs}: tests that kill the process shorten how long a claimed row waits to come back. */
    Outbox(
            Store store,
            Supplier<Channels> channels,
            Supplier<String> publicUrl,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random,
            long leaseMarginMs) {
        this.store = new OutboxStore(store);
        this.channels = channels;
        this.publicUrl = publicUrl;
        this.metrics = new NotifyMetrics(registry);
        this.clock = clock;
        this.http = new HttpSender(clock);
        this.transport = new Transport(http, new EmailSender());
        this.backoff = new Backoff(random);
        this.worker = new DeliveryWorker(
                this.store, channels, transport, backoff, metrics, clock, id -> wake.release(), leaseMarginMs);
    }

    /**
     * Keeps the local spool of pages in {@code dataDir/spool/pages} (see {@link #fallback}); messages a previous
     * process left there are delivered and recorded from now on.
     */
    public synchronized Outbox spoolIn(Path dataDir) {
        if (spool != null) return this;
        spool = new PageSpool(dataDir.resolve("spool").resolve("pages"), store, channels, transport, backoff, clock);
        spool.onResult(worker.results());
        if (running) spool.start();
        return this;
    }

    /**
     * Delivers messages without the store: each is forced to a file in the spool before this returns, sent from
     * there with the channel's backoff and horizon, and recorded in the outbox under its key once finished and the
     * store answers. A later {@link #enqueue} of the same key takes the spooled message over instead of sending it
     * again. Without a spool (no data directory given) this throws {@link IllegalStateException}.
     */
    @Override
    public void fallback(List<Message> messages) {
        PageSpool s = spool;
        if (s == null)
            throw new IllegalStateException("no local spool: the outbox was started without a data directory");
        for (Message m : messages) {
            require(m.channel(), "channel", 100);
            require(m.idempotencyKey(), "idempotencyKey", 300);
        }
        s.add(messages);
    }

    /**
     * Writes the message to the outbox (or finds it, when the key was enqueued before) and returns its id.
     * Throws {@link IllegalArgumentException} for a blank or over-long key or channel and an unknown template.
     * A channel that is not configured is accepted: the message waits, retried, for a reload that adds it.
     */
    @Override
    public long enqueue(String channel, String idempotencyKey, String template, Map<String, Object> fields) {
        return enqueueAll(List.of(new Message(channel, idempotencyKey, template, fields)))
                .getFirst();
    }

    /**
     * As {@link #enqueue}, for several messages in one transaction (one commit). A running outbox hands each new
     * row straight to a free delivery slot: the row is written already claimed for its first attempt, and the
     * attempt starts as soon as the transaction commits, without waiting for the delivery thread to poll and
     * claim it. Nothing changes for the guarantee: the row is committed before the send is tried, and should
     * this node die first, the row comes back when its lease ends, like any claimed row.
     */
    @Override
    public List<Long> enqueueAll(List<Message> messages) {
        long now = clock.millis();
        List<OutboxStore.NewRow> rows = new ArrayList<>();
        for (Message m : messages) {
            require(m.channel(), "channel", 100);
            require(m.idempotencyKey(), "idempotencyKey", 300);
            if (m.template() == null || !TemplateText.NAMES.contains(m.template())) {
                throw new IllegalArgumentException("unknown template '" + m.template() + "'; templates: "
                        + String.join(", ", TemplateText.NAMES.stream().sorted().toList()));
            }
            Map<String, Object> all = new LinkedHashMap<>(m.fields() == null ? Map.of() : m.fields());
            all.putIfAbsent("channel", m.channel());
            all.putIfAbsent("time", clock.instant().toString());
            String base = publicUrl.get();
            if (!all.containsKey("incident_url") && all.get("incident_id") != null && base != null && !base.isBlank()) {
                all.put("incident_url", base.replaceAll("/+$", "") + "/incidents/" + all.get("incident_id"));
            }
            rows.add(new OutboxStore.NewRow(m.channel(), m.idempotencyKey(), m.template(), all, 0));
        }
        // slots are taken before the transaction and given back for rows that turn out to exist already
        List<OutboxStore.NewRow> slotted = new ArrayList<>();
        for (OutboxStore.NewRow r : rows) {
            boolean slot = running && worker.reserve(r.channel());
            slotted.add(
                    slot
                            ? new OutboxStore.NewRow(
                                    r.channel(), r.key(), r.template(), r.fields(), worker.leaseMs(r.channel()))
                            : r);
        }
        // a message the local spool holds is taken from it: recorded as the spool left it when finished there,
        // otherwise written here (the outbox takes its delivery over) and dropped from the spool after the commit
        PageSpool s = spool;
        List<PageSpool.Entry> taken = new ArrayList<>();
        Map<Integer, Long> finished = new LinkedHashMap<>();
        List<OutboxStore.Inserted> inserted;
        try {
            for (int i = 0; s != null && s.size() > 0 && i < slotted.size(); i++) {
                PageSpool.Entry e = s.take(slotted.get(i).key());
                if (e == null) continue;
                taken.add(e);
                if (e.finished()) finished.put(i, store.record(e));
            }
            List<OutboxStore.NewRow> toInsert = new ArrayList<>();
            for (int i = 0; i < slotted.size(); i++) if (!finished.containsKey(i)) toInsert.add(slotted.get(i));
            List<OutboxStore.Inserted> written = store.insert(toInsert, now);
            inserted = new ArrayList<>();
            for (int i = 0, w = 0; i < slotted.size(); i++) {
                inserted.add(
                        finished.containsKey(i) ? new OutboxStore.Inserted(finished.get(i), null) : written.get(w++));
            }
        } catch (RuntimeException e) {
            for (OutboxStore.NewRow r : slotted) if (r.leaseMs() > 0) worker.release(r.channel());
            for (PageSpool.Entry t : taken) s.release(t);
            throw e;
        }
        for (PageSpool.Entry t : taken) {
            s.remove(t);
            if (t.finished()) s.reported(t);
        }
        for (int i = 0; s != null && i < slotted.size(); i++) {
            String key = slotted.get(i).key();
            String result = s.recordedResult(key);
            if (result != null) s.reported(key, result);
        }
        List<Long> ids = new ArrayList<>();
        boolean waiting = false;
        for (int i = 0; i < inserted.size(); i++) {
            OutboxStore.Inserted in = inserted.get(i);
            ids.add(in.id());
            if (in.claimed() != null) {
                worker.start(in.claimed());
            } else {
                if (slotted.get(i).leaseMs() > 0) worker.release(slotted.get(i).channel());
                waiting = true;
            }
        }
        if (waiting) wake.release();
        return ids;
    }

    private static void require(String value, String what, int max) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " is empty");
        if (value.length() > max) throw new IllegalArgumentException(what + " is longer than " + max + " characters");
    }

    public Optional<Delivery> delivery(long id) {
        return store.find(id);
    }

    /** Every message whose idempotency key starts with {@code keyPrefix} (e.g. {@code incident-42-}), oldest first. */
    public List<Delivery> deliveriesFor(String keyPrefix) {
        return store.byKeyPrefix(keyPrefix);
    }

    /** The notification log, newest first; null status or channel means any. */
    public List<Delivery> log(String status, String channel, int limit) {
        return store.log(status, channel, limit);
    }

    /** The configured channels, as they are now. */
    public Channels channels() {
        return channels.get();
    }

    /**
     * Waits until message {@code id} is delivered, failed, or has had a failed attempt (its last error is
     * set), at most {@code max}; returns it as it then stands.
     */
    public Delivery awaitFirstResult(long id, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        wake.release();
        while (true) {
            Delivery d = store.find(id).orElseThrow(() -> new IllegalArgumentException("no outbox message " + id));
            if (d.finished() || d.lastError() != null || System.nanoTime() >= deadline) return d;
            Thread.sleep(50);
        }
    }

    /** Attempts every due message now and waits for those attempts (tests drive the clock with this). */
    int deliverDue() throws InterruptedException {
        List<Thread> started = worker.dispatch();
        for (Thread t : started) t.join();
        return started.size();
    }

    /** {@code listener} hears each message's final result by idempotency key: "delivered on attempt 1", "failed after …". */
    public void onResult(BiConsumer<String, String> listener) {
        worker.onResult(listener);
        PageSpool s = spool;
        if (s != null) s.onResult(listener);
    }

    /**
     * Runs a first page's delivery code once in the background (a message rendered, its JSON made, one GET to
     * {@code target}, this server's own /health): without it the first page of a process ran that code cold,
     * 40-60 ms more than the pages after it (docs/BENCHMARKS.md, "Paging").
     */
    public void warmUp(URI target) {
        http.warmUp(target);
    }

    /** Starts the delivery thread. */
    public synchronized Outbox start() {
        if (thread != null) return this;
        running = true;
        thread = Thread.ofPlatform().name("opsdeck-notify").daemon().start(this::loop);
        if (spool != null) spool.start();
        return this;
    }

    private void loop() {
        long gaugeAt = 0;
        boolean failing = false;
        while (running) {
            try {
                worker.dispatch();
                if (clock.millis() - gaugeAt >= GAUGE_EVERY_MS) {
                    metrics.pending(store.pending());
                    gaugeAt = clock.millis();
                }
                if (failing) LOG.info("event=outbox_poll_recovered");
                failing = false;
            } catch (RuntimeException e) {
                // once per outage, not once per poll: the store's own lines and /ready tell the rest
                if (!failing) LOG.warn("event=outbox_poll_failed error=\"{}\"", e.toString());
                else LOG.debug("event=outbox_poll_failed error=\"{}\"", e.toString());
                failing = true;
            }
            try {
                wake.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops polling and waits up to 2 s for attempts in flight; the rest come back by their lease. */
    @Override
    public void close() {
        running = false;
        PageSpool s = spool;
        if (s != null) s.close();
        Thread t = thread;
        if (t == null) return;
        t.interrupt();
        try {
            t.join(2_000);
            worker.awaitIdle(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
