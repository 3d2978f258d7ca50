package dev.opsdeck.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbox metrics: {@code opsdeck_notifications_pending} (rows not yet delivered or failed, refreshed by the
 * worker every few seconds), per channel {@code opsdeck_notifications_delivered_total},
 * {@code opsdeck_notifications_failed_total} (gave up after the retry horizon),
 * {@code opsdeck_notification_attempts_failed_total} and {@code opsdeck_notifications_delivery_latency_seconds}
 * (from enqueue to the receiver's acknowledgement, retries included).
 */
final class NotifyMetrics {
    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();

    NotifyMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("opsdeck.notifications.pending", pending, AtomicLong::get)
                .description("Notifications waiting for delivery (pending in the outbox)")
                .register(registry);
    }

    void pending(long n) {
        pending.set(n);
    }

    void delivered(String channel, long latencyMs) {
        counter("opsdeck.notifications.delivered", "Notifications a receiver acknowledged", channel);
        Timer.builder("opsdeck.notifications.delivery.latency")
                .tag("channel", channel)
                .description("From enqueue to the receiver's acknowledgement, retries included")
                .register(registry)
                .record(Duration.ofMillis(Math.max(0, latencyMs)));
    }

    void attemptFailed(String channel) {
        counter("opsdeck.notification.attempts.failed", "Delivery attempts that failed (each retry counts)", channel);
    }

    void failed(String channel) {
        counter("opsdeck.notifications.failed", "Notifications given up after the channel's retry horizon", channel);
    }

    private void counter(String name, String help, String channel) {
        Counter.builder(name)
                .description(help)
                .tag("channel", channel)
                .register(registry)
                .increment();
    }
}
