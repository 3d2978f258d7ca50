package dev.opsdeck.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.NetworkConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Refill and forgetting, on a clock the test moves. */
class RateLimiterTest {
    /** A clock that moves only when told to. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void refillsEvenlyOverThePeriod() {
        RateLimiter limiter = new RateLimiter(new NetworkConfig.Rate(5, Duration.ofMinutes(1)), clock, 100);
        for (int i = 0; i < 5; i++) assertThat(limiter.tryConsume("a")).isZero();
        assertThat(limiter.tryConsume("a")).isEqualTo(Duration.ofSeconds(12).toNanos());
        clock.now = clock.now.plusSeconds(12);
        assertThat(limiter.tryConsume("a")).isZero();
        assertThat(limiter.tryConsume("a")).isPositive();
        assertThat(limiter.tryConsume("b")).as("another key has its own bucket").isZero();
    }

    @Test
    void forgetsBucketsIdleForAPeriodSoManySourcesDoNotPileUp() {
        RateLimiter limiter = new RateLimiter(new NetworkConfig.Rate(5, Duration.ofMinutes(1)), clock, 1_000);
        for (int i = 0; i < 500; i++) limiter.tryConsume("10.0." + (i / 256) + "." + (i % 256));
        assertThat(limiter.size()).isEqualTo(500);
        clock.now = clock.now.plusSeconds(61);
        limiter.tryConsume("192.0.2.1");
        assertThat(limiter.size()).isEqualTo(1);
    }

    @Test
    void startsOverRatherThanGrowPastTheCap() {
        RateLimiter limiter = new RateLimiter(new NetworkConfig.Rate(5, Duration.ofMinutes(1)), clock, 100);
        for (int i = 0; i < 1_000; i++) limiter.tryConsume("k" + i);
        assertThat(limiter.size()).isLessThanOrEqualTo(100);
    }
}
