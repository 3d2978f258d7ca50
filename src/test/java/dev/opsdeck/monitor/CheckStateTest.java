package dev.opsdeck.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.StoredState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckStateTest {
    static CheckResult result(Status s, long atMs) {
        return new CheckResult(s, Instant.ofEpochMilli(atMs), 5, s.label(), Map.of());
    }

    @Test
    void failureThresholdNeedsThatManyDownsInARow() {
        CheckState state = new CheckState(2, 1, 600_000, 5, 0);
        assertThat(state.snapshot().status()).isEqualTo(Status.UNKNOWN);
        assertThat(state.apply(result(Status.UP, 1))).isEqualTo(Status.UNKNOWN);
        assertThat(state.apply(result(Status.DOWN, 2))).isNull();
        assertThat(state.snapshot().status()).isEqualTo(Status.UP);
        assertThat(state.snapshot().failures()).isEqualTo(1);
        assertThat(state.apply(result(Status.UP, 3)))
                .as("a good result resets the count")
                .isNull();
        assertThat(state.apply(result(Status.DOWN, 4))).isNull();
        assertThat(state.apply(result(Status.DOWN, 5))).isEqualTo(Status.UP);
        assertThat(state.snapshot().status()).isEqualTo(Status.DOWN);
        assertThat(state.snapshot().sinceMs()).isEqualTo(5);
        assertThat(state.snapshot().last().at().toEpochMilli()).isEqualTo(5);
    }

    @Test
    void aNewCheckStaysUnknownUntilTheFailureThreshold() {
        CheckState state = new CheckState(2, 1, 600_000, 5, 0);
        assertThat(state.apply(result(Status.DOWN, 1))).isNull();
        assertThat(state.snapshot().status()).isEqualTo(Status.UNKNOWN);
        assertThat(state.apply(result(Status.DOWN, 2))).isEqualTo(Status.UNKNOWN);
        assertThat(state.snapshot().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void successThresholdNeedsThatManyGoodResultsToRecover() {
        CheckState state = new CheckState(1, 3, 600_000, 5, 0);
        state.apply(result(Status.DOWN, 1));
        assertThat(state.apply(result(Status.UP, 2))).isNull();
        assertThat(state.apply(result(Status.DEGRADED, 3))).isNull();
        assertThat(state.snapshot().status()).isEqualTo(Status.DOWN);
        assertThat(state.apply(result(Status.UP, 4))).isEqualTo(Status.DOWN);
        assertThat(state.snapshot().status()).isEqualTo(Status.UP);
        assertThat(state.apply(result(Status.DEGRADED, 5)))
                .as("degraded is not a failure")
                .isEqualTo(Status.UP);
        assertThat(state.snapshot().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void flappingAfterEnoughChangesWithinTheWindow() {
        CheckState state = new CheckState(1, 1, 60_000, 3, 0);
        state.apply(result(Status.UP, 0)); // leaving unknown is not a change of state
        state.apply(result(Status.DOWN, 1_000));
        state.apply(result(Status.UP, 2_000));
        assertThat(state.snapshot().flapping()).isFalse();
        state.apply(result(Status.DOWN, 3_000));
        assertThat(state.snapshot().flapping()).isTrue();
        state.apply(result(Status.DOWN, 30_000));
        assertThat(state.snapshot().flapping())
                .as("still 3 changes within 60 s")
                .isTrue();
        state.apply(result(Status.DOWN, 62_500));
        assertThat(state.snapshot().flapping())
                .as("the first two changes left the window")
                .isFalse();
    }

    @Test
    void resumesFromStoredState() {
        CheckState state = new CheckState(3, 1, 60_000, 3, 0);
        state.restore(new StoredState("a/b", Status.DOWN, 100, 4, 0, false, 200, 5, "refused", "h"));
        assertThat(state.snapshot().status()).isEqualTo(Status.DOWN);
        assertThat(state.snapshot().sinceMs()).isEqualTo(100);
        assertThat(state.apply(result(Status.UP, 300))).isEqualTo(Status.DOWN);
        StoredState stored = state.stored("a/b", "h");
        assertThat(stored.status()).isEqualTo(Status.UP);
        assertThat(stored.lastAtMs()).isEqualTo(300);
        assertThat(stored.sinceMs()).isEqualTo(300);
    }
}
