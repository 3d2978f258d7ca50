package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes due outbox rows and attempts each on its own virtual thread. At most {@value #MAX_IN_FLIGHT}
 * attempts run at once and at most the channel's {@code max_in_flight} per channel (4 unless configured), and each
 * is bounded by its channel's timeout: a receiver that hangs holds its channel's slots for one timeout and never
 * delays the other channels.
 */
final class DeliveryWorker {
    private volatile BiConsumer<String, String> results = (key, result) -> {};
    static final int MAX_IN_FLIGHT = 64;
    /** A claimed row comes due again this long after its attempt's timeout, should this node die meanwhile. */
    static final long LEASE_MARGIN_MS = 30_000;

    private final long leaseMarginMs;
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final OutboxStore store;
    private final DeliveredMarks marks;
    private final Supplier<Channels> channels;
    private final Transport transport;
    private final Backoff backoff;
    private final NotifyMetrics metrics;
    private final Clock clock;
    private final LongConsumer attempted;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final Map<String, AtomicInteger> perChannel = new ConcurrentHashMap<>();
    /** Attempts started and not yet reported: a slot is free again before its attempt's report is written. */
    private final AtomicInteger running = new AtomicInteger();

    DeliveryWorker(
            OutboxStore store,
            Supplier<Channels> channels,
            Transport transport,
            Backoff backoff,
            NotifyMetrics metrics,
            Clock clock,
            LongConsumer attempted,
            long leaseMarginMs) {
        this.leaseMarginMs = leaseMarginMs;
        this.store = store;
        this.marks = new DeliveredMarks(store);
        this.channels = channels;
        this.transport = transport;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.attempted = attempted;
    }

    /** Claims what is due and free slots allow, starts an attempt for each; returns their threads. */
    List<Thread> dispatch() {
        int free = slots.availablePermits();
        if (free == 0) return List.of();
        Channels config = channels.get();
        List<Delivery> reserved = new ArrayList<>(); // a slot is taken for each candidate the claim accepts
        List<Delivery> claimed;
        try {
            claimed = store.claim(
                    clock.millis(),
                    free,
                    d -> {
                        if (!reserve(d.channel())) return false;
                        reserved.add(d);
                        return true;
                    },
                    d -> leaseMs(config, d.channel()));
        } catch (RuntimeException e) {
            for (Delivery d : reserved) release(d.channel());
            throw e;
        }
        Set<Long> ids = new HashSet<>();
        for (Delivery d : claimed) ids.add(d.id());
        for (Delivery d : reserved) if (!ids.remove(d.id())) release(d.channel()); // another node took it first
        List<Thread> started = new ArrayList<>();
        for (Delivery d : claimed) started.add(start(d));
        return started;
    }

    /**
     * Takes a delivery slot for one attempt on {@code channel}, without waiting: false when all
     * {@value #MAX_IN_FLIGHT} are busy or the channel has its {@code max_in_flight} attempts running.
     * A taken slot is given back by {@link #release} or by the attempt {@link #start}ed with it.
     */
    boolean reserve(String channel) {
        if (!slots.tryAcquire()) return false;
        int limit = channels.get().channel(channel).map(Channel::maxInFlight).orElse(ChannelDef.DEFAULT_MAX_IN_FLIGHT);
        AtomicInteger busy = perChannel.computeIfAbsent(channel, c -> new AtomicInteger());
        if (busy.incrementAndGet() > limit) {
            busy.decrementAndGet();
            slots.release();
            return false;
        }
        return true;
    }

    void release(String channel) {
        perChannel.get(channel).decrementAndGet();
        slots.release();
    }

    /** How far a claimed attempt's row is pushed ahead: its channel's timeout plus the margin. */
    long leaseMs(String channel) {
        return leaseMs(channels.get(), channel);
    }

    private long leaseMs(Channels config, String channel) {
        return config.channel(channel).map(c -> c.timeout().toMillis()).orElse(0L) + leaseMarginMs;
    }

    /**
     * Runs the attempt of a claimed row on its own virtual thread, in the slot {@link #reserve} took for it. The
     * slot is given back as soon as the attempt's result is stored; telling the incident timeline comes after,
     * since in a burst its write queues behind the incidents being opened and would hold the slot meanwhile.
     */
    Thread start(Delivery d) {
        running.incrementAndGet();
        return Thread.ofVirtual().name("notify-" + d.id()).start(() -> {
            String result = null;
            try {
                try {
                    result = attempt(d);
                } finally {
                    release(d.channel());
                    attempted.accept(d.id());
                }
                if (result != null) report(d, result);
            } finally {
                running.decrementAndGet();
            }
        });
    }

    /** Who hears of final results (delivered, or failed for good): the incident timeline. */
    void onResult(BiConsumer<String, String> listener) {
        this.results = listener;
    }

    BiConsumer<String, String> results() {
        return results;
    }

    private void report(Delivery d, String result) {
        try {
            results.accept(d.idempotencyKey(), result);
        } catch (RuntimeException e) { // the delivery itself is recorded; a listener's trouble must not undo it
            LOG.warn("event=notification_result_listener_failed id={} error=\"{}\"", d.id(), e.toString());
        }
    }

    boolean idle() {
        return slots.availablePermits() == MAX_IN_FLIGHT;
    }

    /** Makes one attempt and stores its result; returns the final result to report, or null while retrying. */
    private String attempt(Delivery d) {
        Channel channel = channels.get().channel(d.channel()).orElse(null);
        String error;
        boolean permanent = false;
        try {
            if (channel == null) throw new DeliveryFailure("no channel named '" + d.channel() + "' is configured");
            MessageTemplates.Message message = MessageTemplates.render(d.template(), channel.templates(), d.fields());
            channel.sender().send(d, message, channel.timeout(), transport);
            // marked at once: a crash from here on is the only way a receiver sees this message twice
            marks.mark(d.id(), clock.millis());
            metrics.delivered(d.channel(), clock.millis() - d.createdMs());
            LOG.info(
                    "event=notification_delivered id={} channel={} attempt={} key=\"{}\"",
                    d.id(),
                    d.channel(),
                    d.attempts(),
                    d.idempotencyKey());
            return "delivered on attempt " + d.attempts();
        } catch (DeliveryFailure e) {
            error = e.getMessage();
            permanent = e.permanent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted: Opsdeck was stopping";
        } catch (RuntimeException e) {
            error = e.toString();
        }
        try {
            return failedAttempt(d, channel, error, permanent);
        } catch (RuntimeException e) {
            // the lease brings the row back; nothing is lost
            LOG.warn("event=notification_result_not_saved id={} error=\"{}\"", d.id(), e.toString());
            return null;
        }
    }

    /**
     * Stores a failed attempt: a retry (returns null) or, past the horizon or refused for good, the final failure
     * (returns it).
     */
    private String failedAttempt(Delivery d, Channel channel, String error, boolean permanent) {
        metrics.attemptFailed(d.channel());
        long now = clock.millis();
        long horizon = (channel != null ? channel.retryHorizon() : ChannelDef.DEFAULT_RETRY_HORIZON).toMillis();
        long next = now + backoff.delayMs(d.attempts());
        if (permanent || next > d.createdMs() + horizon) {
            if (store.failed(d.id(), d.attempts(), error)) metrics.failed(d.channel());
            LOG.warn(
                    "event=notification_failed id={} channel={} attempts={} error=\"{}\"",
                    d.id(),
                    d.channel(),
                    d.attempts(),
                    error);
            return "failed after " + d.attempts() + " attempts: " + error;
        }
        store.retry(d.id(), d.attempts(), next, error);
        LOG.info(
                "event=notification_retry id={} channel={} attempt={} next_in_ms={} error=\"{}\"",
                d.id(),
                d.channel(),
                d.attempts(),
                next - now,
                error);
        return null;
    }

    /** Waits until no attempt runs, at most {@code millis}. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (!slots.tryAcquire(MAX_IN_FLIGHT, millis, TimeUnit.MILLISECONDS)) return false;
        slots.release(MAX_IN_FLIGHT);
        while (running.get() > 0) { // the last reports, written after their slots were given back
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }
}
