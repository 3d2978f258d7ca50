package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.SpoolFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local path of pages while the store cannot be written: one file per message in {@code data_dir/spool/pages},
 * written under a temporary name, forced to disk and renamed, so a kill leaves the whole message or none. Its own
 * thread ({@code opsdeck-notify-spool}) delivers each with the outbox's channels, backoff and retry horizon, and
 * records the result in the file the same way. Once a message is finished (delivered, or failed past its horizon)
 * and the store answers, it becomes an outbox row under the same idempotency key, already finished, and its file
 * is removed: the outbox never sends it again. A message the outbox is asked for while it is still in the spool
 * is handed over ({@link #take}): the outbox records it as the spool left it, or takes over its delivery.
 */
final class PageSpool implements AutoCloseable {
    /** One spooled message and where its delivery stands; {@code deliveredMs} set when a receiver took it. */
    record Entry(
            String key,
            String channel,
            String template,
            Map<String, Object> fields,
            long createdMs,
            int attempts,
            long nextAttemptMs,
            Long deliveredMs,
            String lastError,
            boolean failed) {
        boolean finished() {
            return deliveredMs != null || failed;
        }

        String result() {
            return deliveredMs != null
                    ? "delivered on attempt " + attempts + " from the local spool"
                    : "failed after " + attempts + " attempts from the local spool: " + lastError;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PageSpool.class);
    /** How often a finished message's move into the store is tried while the store is away. */
    private static final long STORE_RETRY_MS = 2_000;

    private final Path dir;
    private final OutboxStore store;
    private final Supplier<Channels> channels;
    private final Transport transport;
    private final Backoff backoff;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(); // by key, under this
    private final Set<String> busy = new HashSet<>(); // keys in an attempt or being handed over, under this
    private final Semaphore wake = new Semaphore(0);
    private final Map<String, String> recorded = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, String> results = (key, result) -> {};
    private volatile boolean running;
    private Thread thread;
    private volatile long storeRetryAt;
    private final AtomicBoolean recording = new AtomicBoolean();

    PageSpool(
            Path dir,
            OutboxStore store,
            Supplier<Channels> channels,
            Transport transport,
            Backoff backoff,
            Clock clock) {
        this.dir = dir;
        this.store = store;
        this.channels = channels;
        this.transport = transport;
        this.backoff = backoff;
        this.clock = clock;
        try {
            for (Path f : SpoolFiles.open(dir)) {
                Entry e = read(f);
                entries.put(e.key(), e);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the page spool " + dir + ": " + e.getMessage(), e);
        }
        if (!entries.isEmpty()) LOG.info("event=page_spool_loaded messages={}", entries.size());
    }

    /** Spools messages not spooled yet (by key), each on disk before this returns; wakes the delivery thread. */
    void add(List<Notifier.Message> messages) {
        long now = clock.millis();
        for (Notifier.Message m : messages) {
            synchronized (this) {
                if (entries.containsKey(m.idempotencyKey())) continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>(m.fields() == null ? Map.of() : m.fields());
            fields.putIfAbsent("channel", m.channel());
            fields.putIfAbsent("time", clock.instant().toString());
            Entry e = new Entry(m.idempotencyKey(), m.channel(), m.template(), fields, now, 0, now, null, null, false);
            write(e);
            synchronized (this) {
                entries.putIfAbsent(e.key(), e);
            }
        }
        wake.release();
    }

    /**
     * Takes the message with {@code key} out of the spool's hands, waiting for an attempt in flight to end; null
     * when it is not spooled. The caller records it in the store, then {@link #remove}s it, or gives it back
     * with {@link #release} when that failed.
     */
    Entry take(String key) {
        synchronized (this) {
            if (!entries.containsKey(key)) return null;
            while (busy.contains(key)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            Entry e = entries.get(key);
            if (e != null) busy.add(key);
            return e;
        }
    }

    /** The message is in the store now: its file goes. */
    void remove(Entry e) {
        try {
            Files.deleteIfExists(file(e.key()));
        } catch (IOException ex) {
            LOG.warn("event=page_spool_remove_failed key=\"{}\" error=\"{}\"", e.key(), ex.toString());
        }
        synchronized (this) {
            entries.remove(e.key());
            busy.remove(e.key());
            notifyAll();
        }
    }

    synchronized void release(Entry e) {
        busy.remove(e.key());
        notifyAll();
    }

    synchronized int size() {
        return entries.size();
    }

    void onResult(BiConsumer<String, String> listener) {
        this.results = listener;
    }

    synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = Thread.ofPlatform().name("opsdeck-notify-spool").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                pass();
            } catch (RuntimeException e) {
                LOG.warn("event=page_spool_pass_failed error=\"{}\"", e.toString());
            }
            try {
                wake.tryAcquire(500, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Attempts what is due, then moves finished messages into the store when it answers. */
    private void pass() {
        for (Entry e : claim(false)) {
            Entry after = attempt(e);
            write(after);
            synchronized (this) {
                if (entries.containsKey(after.key())) entries.put(after.key(), after);
                busy.remove(after.key());
                notifyAll();
            }
        }
        if (clock.millis() < storeRetryAt || !recording.compareAndSet(false, true)) return;
        // on a thread of its own: while the store is away each try waits for the pool's connection timeout, and a
        // new page must not wait behind it
        Thread.ofVirtual().name("opsdeck-notify-spool-record").start(() -> {
            try {
                boolean away = false;
                for (Entry e : claim(true)) {
                    if (away) {
                        release(e);
                        continue;
                    }
                    try {
                        store.record(e);
                    } catch (RuntimeException ex) {
                        release(e);
                        away = true;
                        storeRetryAt = clock.millis() + STORE_RETRY_MS; // the store is still away: try again later
                        LOG.debug("event=page_spool_record_failed key=\"{}\" error=\"{}\"", e.key(), ex.toString());
                        continue;
                    }
                    remove(e);
                    recorded.put(e.key(), e.result());
                    report(e.key(), e.result());
                }
            } finally {
                recording.set(false);
            }
        });
    }

    /**
     * The result of a message this spool moved into the store by itself, once: told again when the message is
     * enqueued under its key (its incident may have had no notice under that key yet when it was first told).
     */
    String recordedResult(String key) {
        return recorded.remove(key);
    }

    /** Due unfinished messages ({@code finished} false), or finished ones, marked busy for this thread. */
    private synchronized List<Entry> claim(boolean finished) {
        long now = clock.millis();
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (busy.contains(e.key()) || e.finished() != finished || !finished && e.nextAttemptMs() > now) continue;
            busy.add(e.key());
            out.add(e);
        }
        return out;
    }

    /** One attempt, as the outbox's worker makes it; returns the entry as it stands after. */
    private Entry attempt(Entry e) {
        Channel channel = channels.get().channel(e.channel()).orElse(null);
        int attempt = e.attempts() + 1;
        long now = clock.millis();
        String error;
        boolean permanent = false;
        try {
            if (channel == null) throw new DeliveryFailure("no channel named '" + e.channel() + "' is configured");
            Delivery d = new Delivery(
                    0,
                    e.channel(),
                    e.key(),
                    e.template(),
                    e.fields(),
                    Delivery.PENDING,
                    attempt,
                    e.createdMs(),
                    now,
                    now,
                    null,
                    null);
            channel.sender()
                    .send(
                            d,
                            MessageTemplates.render(e.template(), channel.templates(), e.fields()),
                            channel.timeout(),
                            transport);
            LOG.info(
                    "event=notification_delivered channel={} attempt={} key=\"{}\" path=local_spool",
                    e.channel(),
                    attempt,
                    e.key());
            return new Entry(
                    e.key(),
                    e.channel(),
                    e.template(),
                    e.fields(),
                    e.createdMs(),
                    attempt,
                    now,
                    clock.millis(),
                    null,
                    false);
        } catch (DeliveryFailure ex) {
            error = ex.getMessage();
            permanent = ex.permanent();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            error = "interrupted: Opsdeck was stopping";
        } catch (RuntimeException ex) {
            error = ex.toString();
        }
        long horizon = (channel != null ? channel.retryHorizon() : ChannelDef.DEFAULT_RETRY_HORIZON).toMillis();
        long next = now + backoff.delayMs(attempt);
        boolean failed = permanent || next > e.createdMs() + horizon;
        LOG.warn(
                "event=notification_retry channel={} attempt={} next_in_ms={} key=\"{}\" path=local_spool error=\"{}\"",
                e.channel(),
                attempt,
                failed ? -1 : next - now,
                e.key(),
                error);
        return new Entry(
                e.key(), e.channel(), e.template(), e.fields(), e.createdMs(), attempt, next, null, error, failed);
    }

    private void report(String key, String result) {
        BiConsumer<String, String> listener = results;
        // on its own thread: the listener writes the incident's timeline, which may wait for the incident lock
        Thread.ofVirtual().name("opsdeck-notify-spool-report").start(() -> {
            try {
                listener.accept(key, result);
            } catch (RuntimeException e) {
                LOG.warn("event=notification_result_listener_failed key=\"{}\" error=\"{}\"", key, e.toString());
            }
        });
    }

    /** Reports a handed-over message's result to the listener (the outbox recorded it). */
    void reported(Entry e) {
        report(e.key(), e.result());
    }

    /** Reports a message's result to the listener, on its own thread. */
    void reported(String key, String result) {
        report(key, result);
    }

    /** Writes the entry whole, over its previous state, before this returns. */
    private void write(Entry e) {
        Path target = file(e.key());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", e.key());
        m.put("channel", e.channel());
        m.put("template", e.template());
        m.put("fields", e.fields());
        m.put("created_ms", e.createdMs());
        m.put("attempts", e.attempts());
        m.put("next_attempt_ms", e.nextAttemptMs());
        m.put("delivered_ms", e.deliveredMs());
        m.put("last_error", e.lastError());
        m.put("failed", e.failed());
        try {
            SpoolFiles.write(target, Json.MAPPER.writeValueAsBytes(m));
        } catch (IOException ex) {
            // the message is still delivered from memory; only a kill before the store answers would lose it
            LOG.error("event=page_spool_write_failed key=\"{}\" error=\"{}\"", e.key(), ex.toString());
        }
    }

    private static Entry read(Path f) throws IOException {
        Map<String, Object> m = Json.MAPPER.readValue(Files.readString(f, StandardCharsets.UTF_8), Json.OBJECT);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) m.get("fields");
        Object delivered = m.get("delivered_ms");
        return new Entry(
                (String) m.get("key"),
                (String) m.get("channel"),
                (String) m.get("template"),
                fields,
                ((Number) m.get("created_ms")).longValue(),
                ((Number) m.get("attempts")).intValue(),
                ((Number) m.get("next_attempt_ms")).longValue(),
                delivered == null ? null : ((Number) delivered).longValue(),
                (String) m.get("last_error"),
                Boolean.TRUE.equals(m.get("failed")));
    }

    private Path file(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) return;
        wake.release();
        try {
            t.join(2_000); // an attempt in flight ends and its result is written; a hung receiver is cut off
            if (t.isAlive()) {
                t.interrupt();
                t.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
