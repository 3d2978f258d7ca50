package dev.opsdeck.network;

import dev.opsdeck.config.NetworkConfig;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One token bucket per key (client address or API key), {@code rate.requests} tokens refilled evenly
 * over {@code rate.period}. A bucket left alone for a whole period is full again, so forgetting it then
 * changes nothing: that is how the map stays small when many sources come and go.
 */
final class RateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private final NetworkConfig.Rate rate;
    private final long periodNanos;
    private final int maxKeys;
    private final TimeMeter time;
    private final ConcurrentHashMap<String, Tracked> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    private record Tracked(Bucket bucket, AtomicLong lastUsed) {}

    RateLimiter(NetworkConfig.Rate rate, Clock clock, int maxKeys) {
        this.rate = rate;
        this.periodNanos = rate.period().toNanos();
        this.maxKeys = maxKeys;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.lastSweep = new AtomicLong(time.currentTimeNanos());
    }

    /** Takes one token for {@code key}: 0 when granted, otherwise the nanoseconds until one is back. */
    long tryConsume(String key) {
        long now = time.currentTimeNanos();
        sweepIfDue(now);
        Tracked t = buckets.computeIfAbsent(key, k -> new Tracked(newBucket(), new AtomicLong(now)));
        t.lastUsed().set(now);
        ConsumptionProbe probe = t.bucket().tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    int size() {
        return buckets.size();
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(l -> l.capacity(rate.requests()).refillGreedy(rate.requests(), rate.period()))
                .withCustomTimePrecision(time)
                .build();
    }

    /** At most once a period (or when full), one thread drops the buckets idle for a period. */
    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        boolean full = buckets.size() >= maxKeys;
        if ((!full && now - last < periodNanos) || !lastSweep.compareAndSet(last, now)) return;
        buckets.values().removeIf(t -> now - t.lastUsed().get() >= periodNanos);
        if (buckets.size() >= maxKeys) {
            // this many sources active at once is a flood that per-source limits cannot stop anyway;
            // starting over keeps memory bounded, at the price of a fresh allowance for everyone
            LOG.warn(
                    "event=rate_limit_reset keys={} limit={} note=\"too many distinct sources\"",
                    buckets.size(),
                    maxKeys);
            buckets.clear();
        }
    }
}
