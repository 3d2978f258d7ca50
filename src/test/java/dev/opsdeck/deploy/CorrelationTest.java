package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which deploys an incident names, in which order and words; times are minutes before the incident opened. */
class CorrelationTest {
    static final long OPENED = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    static final long MIN = 60_000;

    /** A deploy that started {@code startedBefore} minutes before the incident and ended {@code endedBefore} (null: not). */
    static Deploy deploy(
            String id,
            String service,
            String version,
            String actor,
            DeployState state,
            Long startedBefore,
            Long endedBefore) {
        return new Deploy(
                id,
                service,
                "production",
                version,
                null,
                null,
                null,
                null,
                Deploy.SOURCE_CI,
                actor,
                state,
                null,
                null,
                null,
                null,
                OPENED - 90 * MIN,
                startedBefore == null ? null : OPENED - startedBefore * MIN,
                endedBefore == null ? null : OPENED - endedBefore * MIN,
                null);
    }

    static final List<Deploy> DEPLOYS = List.of(
            deploy("good", "api", "v1.4.0", "ci", DeployState.SUCCEEDED, 15L, 12L),
            deploy("bad", "api", "v1.3.9", "alice", DeployState.ROLLED_BACK, 45L, 40L),
            deploy("edge", "worker", "v7", "ci", DeployState.FAILED, 62L, 60L), // exactly an hour: named
            deploy("old", "api", "v1.3.8", "ci", DeployState.SUCCEEDED, 70L, 61L), // an hour and a minute: not
            deploy("baking", "api", "v1.5.0", "ci", DeployState.VERIFYING, 5L, null),
            deploy("across", "worker", "v8", "bob", DeployState.SUCCEEDED, 3L, -2L), // ended after the opening
            deploy("other", "web", "v2", "ci", DeployState.SUCCEEDED, 10L, 9L), // not an affected service
            deploy("after", "api", "v1.6.0", "ci", DeployState.SUCCEEDED, -1L, -3L), // started after the opening
            deploy("waiting", "api", "v1.7.0", "ci", DeployState.PENDING, null, null),
            deploy("called-off", "api", "v1.8.0", "ci", DeployState.CANCELLED, null, 20L));

    @Test
    void namesTheDeploysOfTheAffectedServicesInTheHourBeforeNewestFirst() {
        assertThat(Correlation.lines(DEPLOYS, Set.of("api", "worker"), OPENED, Correlation.DEFAULT_WINDOW))
                .containsExactly(
                        "worker v8 deploy started 3 min before, by bob (then succeeded)",
                        "api v1.5.0 deploy started 5 min before, by ci (verifying)",
                        "api v1.4.0 deployed 12 min before, by ci",
                        "api v1.3.9 deployed 40 min before, by alice (rolled back)",
                        "worker v7 deployed 1 h before, by ci (failed)");
    }

    @Test
    void theWindowIsTheCallersAndEachLinkKeepsItsDeployAndDistance() {
        List<Correlation.Link> links = Correlation.before(DEPLOYS, Set.of("api"), OPENED, Duration.ofMinutes(12));
        assertThat(links).extracting(l -> l.deploy().id()).containsExactly("baking", "good");
        assertThat(links).extracting(Correlation.Link::beforeMs).containsExactly(5 * MIN, 12 * MIN);
        assertThat(Correlation.lines(DEPLOYS, Set.of("web"), OPENED, Duration.ofMinutes(5)))
                .isEmpty();
        assertThat(Correlation.lines(DEPLOYS, Set.of(), OPENED, Correlation.DEFAULT_WINDOW))
                .isEmpty();
        assertThat(Correlation.lines(List.of(), Set.of("api"), OPENED, Correlation.DEFAULT_WINDOW))
                .isEmpty();
    }

    @Test
    void distancesReadInTheirTwoLargestUnits() {
        assertThat(Correlation.span(0)).isEqualTo("0 s");
        assertThat(Correlation.span(40_000)).isEqualTo("40 s");
        assertThat(Correlation.span(12 * MIN + 59_000)).isEqualTo("12 min");
        assertThat(Correlation.span(65 * MIN)).isEqualTo("1 h 5 min");
        assertThat(Correlation.span(60 * MIN)).isEqualTo("1 h");
        assertThat(Correlation.span((26 * 60 + 5) * MIN)).isEqualTo("1 d 2 h");
        assertThat(Correlation.span(48 * 60 * MIN)).isEqualTo("2 d");
        Deploy blankActor = new Deploy(
                "x",
                "api",
                "production",
                "v1",
                null,
                null,
                null,
                null,
                "ci",
                " ",
                DeployState.SUCCEEDED,
                null,
                null,
                null,
                null,
                OPENED - MIN,
                OPENED - MIN,
                OPENED - 30_000,
                null);
        assertThat(Correlation.lines(List.of(blankActor), Set.of("api"), OPENED, Correlation.DEFAULT_WINDOW))
                .containsExactly("api v1 deployed 30 s before, by ci");
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThatThrownBy(() -> Correlation.before(DEPLOYS, Set.of("api"), OPENED, Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the window must not be negative: PT-1M");
    }
}
