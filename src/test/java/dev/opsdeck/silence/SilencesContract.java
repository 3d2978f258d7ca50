package dev.opsdeck.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent.Severity;
import dev.opsdeck.store.OnEachBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Silences on a real store (a SQLite and a PostgreSQL subclass), time moved by hand. */
abstract class SilencesContract extends OnEachBackend {
    static final Instant START = Instant.parse("2025-06-04T08:00:00Z");
    static final List<Matcher> INDEXER = List.of(Matcher.parse("service=indexer"), Matcher.parse("severity!=P1"));

    ManualClock clock;
    Silences silences;

    @Override
    protected List<String> reset() {
        return List.of("DELETE FROM silence");
    }

    @BeforeEach
    void wire() {
        clock = new ManualClock(START);
        silences = new Silences(store, clock);
    }

    private boolean indexerP2Silenced() {
        return silences.suppressed("indexer", "IndexerDown", Severity.P2, Map.of());
    }

    @Test
    void anActiveSilenceSuppressesMatchingAlertsUntilItEnds() {
        Silence s = silences.create(INDEXER, null, null, Duration.ofHours(2), "alice", "deploy");
        assertThat(s.state(clock.millis())).isEqualTo(Silence.State.ACTIVE);
        assertThat(indexerP2Silenced()).isTrue();
        assertThat(silences.reason("indexer", "IndexerDown", Severity.P2, Map.of()))
                .isEqualTo("silenced by silence #" + s.id());
        assertThat(silences.reason("indexer", "IndexerDown", Severity.P1, Map.of()))
                .isNull();
        assertThat(silences.suppressed("indexer", "IndexerDown", Severity.P1, Map.of()))
                .isFalse();
        assertThat(silences.suppressed("api", "ApiDown", Severity.P2, Map.of())).isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(indexerP2Silenced()).isFalse();
        assertThat(silences.list(Silence.State.EXPIRED)).extracting(Silence::id).containsExactly(s.id());
    }

    @Test
    void aFutureSilenceIsPendingUntilItStarts() {
        Silence s = silences.create(
                INDEXER,
                START.plus(Duration.ofHours(1)),
                START.plus(Duration.ofHours(3)),
                null,
                "alice",
                "maintenance");
        assertThat(silences.list(Silence.State.PENDING)).extracting(Silence::id).containsExactly(s.id());
        assertThat(indexerP2Silenced()).isFalse();
        clock.advance(Duration.ofHours(1));
        assertThat(indexerP2Silenced()).isTrue();
        assertThat(silences.list(Silence.State.ACTIVE)).extracting(Silence::id).containsExactly(s.id());
    }

    @Test
    void expiringEndsItNowAndKeepsTheRecord() {
        Silence s = silences.create(INDEXER, null, null, Duration.ofHours(2), "alice", "deploy");
        clock.advance(Duration.ofMinutes(10));
        Silence expired = silences.expire(s.id(), "bob").orElseThrow();
        assertThat(expired.state(clock.millis())).isEqualTo(Silence.State.EXPIRED);
        assertThat(expired.expiredBy()).isEqualTo("bob");
        assertThat(expired.endsMs()).isEqualTo(clock.millis());
        assertThat(expired.creator()).isEqualTo("alice");
        assertThat(indexerP2Silenced()).isFalse();
        assertThat(silences.list(null)).hasSize(1);
        assertThat(silences.expire(s.id(), "carol").orElseThrow().expiredBy()).isEqualTo("bob");
        assertThat(silences.expire(999, "bob")).isEmpty();
    }

    @Test
    void idsFollowCreationAndTheListIsNewestFirst() {
        long first = silences.create(INDEXER, null, null, Duration.ofHours(1), "alice", "one")
                .id();
        long second = silences.create(INDEXER, null, null, Duration.ofHours(1), "alice", "two")
                .id();
        assertThat(second).isGreaterThan(first);
        assertThat(silences.list(null)).extracting(Silence::comment).containsExactly("two", "one");
        assertThat(silences.find(first).orElseThrow().matchers()).isEqualTo(INDEXER);
    }

    @Test
    void refusesWhatCannotBeASilenceNamingTheField() {
        assertThatThrownBy(() -> silences.create(List.of(), null, null, Duration.ofHours(1), "a", "c"))
                .hasMessage("matchers: at least one is required");
        assertThatThrownBy(() -> silences.create(INDEXER, null, null, Duration.ofHours(1), "a", " "))
                .hasMessage("comment: required (say why, e.g. the deploy)");
        assertThatThrownBy(() -> silences.create(INDEXER, null, null, null, "a", "c"))
                .hasMessage("ends_at: give either ends_at or duration");
        assertThatThrownBy(() -> silences.create(INDEXER, null, null, Duration.ofDays(31), "a", "c"))
                .hasMessage("duration: a silence lasts at most 30d; got 744h");
        assertThatThrownBy(() -> silences.create(INDEXER, null, START.minusSeconds(60), null, "a", "c"))
                .hasMessage("ends_at: the silence must end after it starts");
        assertThat(silences.list(null)).isEmpty();
    }
}
