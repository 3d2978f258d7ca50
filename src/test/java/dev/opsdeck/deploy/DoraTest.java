package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each definition of the "DORA metrics" section of docs/deploys.md on deploys whose figures are worked out by hand:
 * times are minutes after {@link #T0}, the window is the week from {@code T0} unless a test says otherwise.
 */
class DoraTest {
    static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    static final long MIN = 60_000;
    static final Dora.Window WEEK = new Dora.Window(T0, T0 + 7 * 1440 * MIN, Duration.ofHours(1));

    /** A deploy of {@code service} that ran from minute {@code start} to {@code end} (null: not ended). */
    static Deploy deploy(String id, String service, DeployState state, long start, Long end) {
        return deploy(id, service, state, start, end, null, null);
    }

    static Deploy deploy(String id, String service, DeployState state, long start, Long end, Long commit, String of) {
        return new Deploy(
                id,
                service,
                "production",
                "v-" + id,
                null,
                commit == null ? null : T0 + commit * MIN,
                null,
                null,
                Deploy.SOURCE_CI,
                "ci",
                state,
                null,
                null,
                null,
                of,
                T0 + start * MIN,
                T0 + start * MIN,
                end == null ? null : T0 + end * MIN,
                null);
    }

    static Dora.Incident incident(String id, long opened, Long resolved, String... services) {
        return new Dora.Incident(
                id, Set.of(services), T0 + opened * MIN, resolved == null ? null : T0 + resolved * MIN);
    }

    @Test
    void withoutDeploysEveryRatioAndDurationIsUnknownAndTheFrequencyIsZero() {
        Dora.Result r = Dora.compute(List.of(), List.of(incident("i1", 10, 20L, "api")), WEEK);
        Dora.Figures f = r.overall();
        assertThat(f.deploys()).isZero();
        assertThat(f.perDay()).isZero();
        assertThat(f.perWeek()).isZero();
        assertThat(f.leadTime()).isEqualTo(new Dora.Spread(0, null, null));
        assertThat(f.changeFailureRate()).isNull();
        assertThat(f.recovery()).isEqualTo(new Dora.Spread(0, null, null));
        assertThat(f.reworkRate()).isNull();
        assertThat(r.byService()).isEmpty();
        assertThat(r.failures()).isEmpty();
    }

    @Test
    void frequencyCountsSucceededDeploysThatEndedInTheHalfOpenWindow() {
        List<Deploy> deploys = new ArrayList<>();
        for (int k = 0; k < 13; k++)
            deploys.add(deploy("ok" + k, "api", DeployState.SUCCEEDED, k * 600 + 5, k * 600 + 10L));
        deploys.add(deploy("at-start", "api", DeployState.SUCCEEDED, -5, 0L)); // ends at the window's start: in
        deploys.add(deploy("at-end", "api", DeployState.SUCCEEDED, 7 * 1440 - 5, 7 * 1440L)); // at its end: out
        deploys.add(deploy("before", "api", DeployState.SUCCEEDED, -20, -1L)); // a minute before: out
        deploys.add(deploy("failed", "api", DeployState.FAILED, 9000, 9010L)); // counted, but not in the frequency
        Dora.Figures f = Dora.compute(deploys, List.of(), WEEK).overall();
        assertThat(f.deploys()).isEqualTo(15);
        assertThat(f.succeeded()).isEqualTo(14);
        assertThat(f.perDay()).isEqualTo(2.0);
        assertThat(f.perWeek()).isEqualTo(14.0);
    }

    @Test
    void leadTimeIsCommitToSuccessForSucceededDeploysWithACommitTimeButNotRollbacks() {
        List<Deploy> deploys = List.of(
                deploy("a", "api", DeployState.SUCCEEDED, 100, 110L, 100L, null), // 10 min
                deploy("b", "api", DeployState.SUCCEEDED, 200, 210L, 190L, null), // 20 min
                deploy("c", "api", DeployState.SUCCEEDED, 300, 310L, 280L, null), // 30 min
                deploy("d", "api", DeployState.SUCCEEDED, 400, 410L, 370L, null), // 40 min
                deploy("no-commit", "api", DeployState.SUCCEEDED, 500, 510L),
                deploy("failed", "api", DeployState.FAILED, 600, 610L, 0L, null),
                deploy("skewed", "api", DeployState.SUCCEEDED, 700, 710L, 711L, null), // commit after success
                deploy("rollback", "api", DeployState.SUCCEEDED, 800, 810L, -5000L, "d"));
        Dora.Spread lead = Dora.compute(deploys, List.of(), WEEK).overall().leadTime();
        // median of 10, 20, 30, 40 min: 25 min; p90 at rank 0.9 * 3 = 2.7: 30 + 0.7 * (40 - 30) = 37 min
        assertThat(lead).isEqualTo(new Dora.Spread(4, 25 * MIN, 37 * MIN));
    }

    @Test
    void withoutCommitTimesThereIsNoLeadTimeButTheOtherFiguresStand() {
        Dora.Figures f = Dora.compute(
                        List.of(
                                deploy("a", "api", DeployState.SUCCEEDED, 0, 10L),
                                deploy("b", "api", DeployState.FAILED, 20, 30L)),
                        List.of(),
                        WEEK)
                .overall();
        assertThat(f.leadTime()).isEqualTo(new Dora.Spread(0, null, null));
        assertThat(f.changeFailureRate()).isEqualTo(0.5);
    }

    /** One service's week: the failed changes, their recoveries and the deploys that reworked them. */
    static List<Deploy> week() {
        return List.of(
                deploy("d1", "api", DeployState.SUCCEEDED, 0, 10L),
                deploy("d2", "api", DeployState.FAILED, 60, 70L),
                deploy("d3", "api", DeployState.SUCCEEDED, 120, 130L), // blamed for i1
                deploy("d4", "api", DeployState.ROLLED_BACK, 200, 215L),
                deploy("d5", "api", DeployState.SUCCEEDED, 300, 310L), // i2 opens 61 min after: not blamed
                deploy("d6", "api", DeployState.SUCCEEDED, 400, 405L), // rolled back by d7
                deploy("d7", "api", DeployState.SUCCEEDED, 420, 425L, 0L, "d6"),
                deploy("d8", "api", DeployState.FAILED, 500, 510L), // and i3 opened while it ran
                deploy("d9", "api", DeployState.CANCELLED, 600, 601L), // left out of everything
                deploy("d10", "api", DeployState.SUCCEEDED, 620, 630L),
                deploy("d11", "api", DeployState.ROLLED_BACK, 700, 710L));
    }

    static List<Dora.Incident> weekIncidents() {
        return List.of(
                incident("i1", 150, 175L, "api"), incident("i2", 371, 380L, "api"), incident("i3", 505, null, "api"));
    }

    @Test
    void aChangeFailsWhenItFailedWasRolledBackOrWasFollowedByAnIncidentAndCountsOnce() {
        Dora.Result r = Dora.compute(week(), weekIncidents(), WEEK);
        Dora.Figures f = r.overall();
        assertThat(f.deploys()).isEqualTo(10); // d1-d8, d10, d11: the cancelled d9 is not a deploy here
        assertThat(f.changeFailures()).isEqualTo(6);
        assertThat(f.changeFailureRate()).isEqualTo(0.6);
        assertThat(r.failures())
                .containsExactly(
                        new Dora.Failure("d2", "api", List.of("failed")),
                        new Dora.Failure("d3", "api", List.of("incident i1 on api")),
                        new Dora.Failure("d4", "api", List.of("rolled_back")),
                        new Dora.Failure("d6", "api", List.of("rolled back by deploy d7")),
                        new Dora.Failure("d8", "api", List.of("failed", "incident i3 on api")),
                        new Dora.Failure("d11", "api", List.of("rolled_back")));
        assertThat(f.succeeded()).isEqualTo(6);
        assertThat(f.perDay()).isEqualTo(6 / 7.0);
    }

    @Test
    void recoveryRunsFromTheFailedChangeToTheNextSuccessOrTheIncidentsResolution() {
        Dora.Figures f = Dora.compute(week(), weekIncidents(), WEEK).overall();
        // d2 70 -> d3 130: 60; d3 130 -> i1 resolved 175: 45; d4 rolled back in its own 15; d6 405 -> d7 425: 20;
        // d8 510 -> d10 630: 120 (i3 is still open); d11 rolled back in its own 10.
        // Sorted 10, 15, 20, 45, 60, 120: median (20 + 45) / 2 = 32.5; p90 at rank 4.5: 60 + 0.5 * 60 = 90
        assertThat(f.recovery()).isEqualTo(new Dora.Spread(6, 32 * MIN + 30_000, 90 * MIN));
        assertThat(f.unrecovered()).isZero();
    }

    @Test
    void reworkIsTheNextDeployAfterAFailedChangeOfTheSameService() {
        Dora.Figures f = Dora.compute(week(), weekIncidents(), WEEK).overall();
        // d3 after d2, d4 after d3, d5 after d4, d7 after d6, d10 after d8 (the cancelled d9 is skipped)
        assertThat(f.rework()).isEqualTo(5);
        assertThat(f.reworkRate()).isEqualTo(0.5);
    }

    @Test
    void anIncidentCountsUpToTheFailureWindowAfterTheDeployEndedAndOnlyAgainstTheLastOne() {
        List<Deploy> deploys = List.of(
                deploy("a", "api", DeployState.SUCCEEDED, 0, 10L),
                deploy("b", "api", DeployState.SUCCEEDED, 15, 20L),
                deploy("c", "web", DeployState.SUCCEEDED, 0, 5L));
        // exactly an hour after b ended: against b only, not a; on web more than an hour after c: not counted
        Dora.Result r = Dora.compute(deploys, List.of(incident("i", 80, 90L, "api", "web")), WEEK);
        assertThat(r.failures()).containsExactly(new Dora.Failure("b", "api", List.of("incident i on api")));
        Dora.Result later =
                Dora.compute(deploys, List.of(new Dora.Incident("i", Set.of("api"), T0 + 80 * MIN + 1, null)), WEEK);
        assertThat(later.failures()).isEmpty();
        Dora.Result wider = Dora.compute(
                deploys,
                List.of(incident("i", 80, 90L, "api", "web")),
                new Dora.Window(WEEK.fromMs(), WEEK.toMs(), Duration.ofMinutes(75)));
        assertThat(wider.failures()).extracting(Dora.Failure::deployId).containsExactly("b", "c");
    }

    @Test
    void aDeployStillRunningCountsNowhereButTakesTheBlameFromTheDeployBeforeIt() {
        List<Deploy> deploys = List.of(
                deploy("done", "api", DeployState.FAILED, 0, 10L),
                deploy("running", "api", DeployState.VERIFYING, 30, null),
                deploy("pending", "api", DeployState.PENDING, 40, null));
        Dora.Result r = Dora.compute(deploys, List.of(incident("i", 35, null, "api")), WEEK);
        Dora.Figures f = r.overall();
        assertThat(f.deploys()).isEqualTo(1);
        assertThat(f.inFlight()).isEqualTo(2);
        assertThat(r.failures()).containsExactly(new Dora.Failure("done", "api", List.of("failed")));
        assertThat(f.rework()).isZero(); // the running deploy may fix it, but it has not ended
        assertThat(f.recovery()).isEqualTo(new Dora.Spread(0, null, null));
        assertThat(f.unrecovered()).isEqualTo(1);
    }

    @Test
    void aDeployJustBeforeTheWindowCanBeReworkedAndBlamedButIsNotCounted() {
        List<Deploy> deploys = List.of(
                deploy("before", "api", DeployState.FAILED, -30, -20L),
                deploy("fix", "api", DeployState.SUCCEEDED, -10, 5L));
        Dora.Figures f = Dora.compute(deploys, List.of(), WEEK).overall();
        assertThat(f.deploys()).isEqualTo(1);
        assertThat(f.rework()).isEqualTo(1);
        assertThat(f.changeFailures()).isZero();
    }

    @Test
    void eachServiceHasItsFiguresAndOverallPoolsThem() {
        List<Deploy> deploys = List.of(
                deploy("a1", "api", DeployState.SUCCEEDED, 0, 10L, 0L, null), // 10 min
                deploy("a2", "api", DeployState.FAILED, 20, 30L),
                deploy("w1", "web", DeployState.SUCCEEDED, 0, 60L, 0L, null), // 60 min
                deploy("w2", "web", DeployState.SUCCEEDED, 100, 130L, 100L, null), // 30 min
                deploy("w3", "web", DeployState.SUCCEEDED, 200, 220L, 200L, null)); // 20 min
        Dora.Result r = Dora.compute(deploys, List.of(), WEEK);
        assertThat(r.byService()).containsOnlyKeys("api", "web");
        assertThat(r.byService().get("api").changeFailureRate()).isEqualTo(0.5);
        assertThat(r.byService().get("api").leadTime()).isEqualTo(new Dora.Spread(1, 10 * MIN, 10 * MIN));
        assertThat(r.byService().get("web").changeFailureRate()).isEqualTo(0.0);
        assertThat(r.byService().get("web").leadTime()).isEqualTo(new Dora.Spread(3, 30 * MIN, 54 * MIN));
        assertThat(r.overall().deploys()).isEqualTo(5);
        assertThat(r.overall().changeFailureRate()).isEqualTo(0.2);
        // 10, 20, 30, 60: median 25, p90 at rank 2.7: 30 + 0.7 * 30 = 51
        assertThat(r.overall().leadTime()).isEqualTo(new Dora.Spread(4, 25 * MIN, 51 * MIN));
        assertThat(r.overall().perDay()).isEqualTo(4 / 7.0);
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new Dora.Window(T0, T0, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the window must end after it starts: from " + T0 + " to " + T0);
        assertThatThrownBy(() -> new Dora.Window(T0, T0 + 1, Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the failure window must not be negative: PT-1H");
    }
}
