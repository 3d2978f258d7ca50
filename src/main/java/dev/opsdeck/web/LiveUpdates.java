package dev.opsdeck.web;

import dev.opsdeck.monitor.ResultListener;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events that tell open pages to re-fetch their live fragment.
 *
 * <p>Results only bump two counters (the listener runs on probe threads and must stay cheap, even
 * at thousands of results per second). A ticker compares each subscriber's last-seen counters and
 * sends one coalesced event: {@code state} at most once a second when a check changed state,
 * {@code results} at most every {@link #RESULTS_GAP_MS} when only new results (latency, last run)
 * arrived. So a browser re-renders at most once a second however busy the engine is.
 */
final class LiveUpdates implements ResultListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    static final long STATE_GAP_MS = 1_000;
    static final long RESULTS_GAP_MS = 5_000;
    private static final long TICK_MS = 200;
    private static final long KEEPALIVE_MS = 15_000;

    private final AtomicLong results = new AtomicLong();
    private final AtomicLong stateChanges = new AtomicLong();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final LongSupplier configVersion;
    private long seenConfigVersion;
    private ScheduledExecutorService ticker;

    /** {@code configVersion} changes on every reload, applied or rejected: pages then refresh like on a state change. */
    LiveUpdates(LongSupplier configVersion) {
        this.configVersion = configVersion;
        this.seenConfigVersion = configVersion.getAsLong();
    }

    /** Starts the ticker once the server is up, so a server that fails to start leaves no thread behind. */
    synchronized void start() {
        if (ticker != null) return;
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("opsdeck-live").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onResult(String checkId, CheckResult result, Status current, Status previous) {
        results.incrementAndGet();
        if (previous != null) stateChanges.incrementAndGet();
    }

    /** Called by the SSE route: keeps the connection open until the browser goes away. */
    void subscribe(SseClient client) {
        client.keepAlive();
        Subscriber s = new Subscriber(client, results.get(), stateChanges.get());
        subscribers.add(s);
        client.onClose(() -> subscribers.remove(s));
        s.send("hello", "connected"); // lets the page know the stream works before anything changes
    }

    /** Counts state changes (and config reloads): equal values mean no check changed state in between. */
    long stateVersion() {
        return stateChanges.get();
    }

    private void tick() {
        try {
            sendDue();
        } catch (RuntimeException e) {
            // an exception would silently cancel the schedule and every page would stop updating
            LOG.warn("event=live_update_tick_failed error=\"{}\"", e.toString());
        }
    }

    private void sendDue() {
        long config = configVersion.getAsLong();
        if (config != seenConfigVersion) {
            seenConfigVersion = config;
            stateChanges.incrementAndGet(); // services may have appeared or gone, or the error banner changed
        }
        long now = System.currentTimeMillis();
        long r = results.get();
        long st = stateChanges.get();
        for (Subscriber s : subscribers) {
            if (s.client.terminated()) {
                subscribers.remove(s);
            } else if (s.sending.get()) {
                continue; // still writing to a slow browser: what changed meanwhile goes out in its next event
            } else if (st != s.seenStateChanges && now - s.lastSentMs >= STATE_GAP_MS) {
                s.seen(r, st);
                s.send("update", "state");
            } else if (r != s.seenResults && now - s.lastSentMs >= RESULTS_GAP_MS) {
                s.seen(r, st);
                s.send("update", "results");
            } else if (now - s.lastSentMs >= KEEPALIVE_MS) {
                s.send(null, null); // a comment: finds dead connections and keeps proxies from timing out
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.shutdownNow();
        subscribers.forEach(s -> s.client.close());
        subscribers.clear();
    }

    /** One open page. Sends run on a virtual thread so one slow browser never delays the others. */
    private static final class Subscriber {
        final SseClient client;
        final AtomicBoolean sending = new AtomicBoolean();
        volatile long seenResults;
        volatile long seenStateChanges;
        volatile long lastSentMs;

        Subscriber(SseClient client, long seenResults, long seenStateChanges) {
            this.client = client;
            this.seenResults = seenResults;
            this.seenStateChanges = seenStateChanges;
        }

        void seen(long results, long stateChanges) {
            seenResults = results;
            seenStateChanges = stateChanges;
        }

        void send(String event, String data) {
            if (!sending.compareAndSet(false, true))
                return; // only the greeting can race the ticker; losing it is harmless
            lastSentMs = System.currentTimeMillis();
            Thread.ofVirtual().name("opsdeck-live-send").start(() -> {
                try {
                    if (event == null) client.sendComment("keepalive");
                    else client.sendEvent(event, data);
                } catch (RuntimeException e) {
                    client.close();
                } finally {
                    sending.set(false);
                }
            });
        }
    }
}
