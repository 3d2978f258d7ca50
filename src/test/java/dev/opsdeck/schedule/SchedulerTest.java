package dev.opsdeck.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.backup.Scratch;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.config.ScheduleDef;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler with a hand-moved clock: slots fire once (also with two schedulers on one PostgreSQL store),
 * restarts run or skip what was missed, overlap policies hold, results are recorded, measured and alerted.
 * The targets here count and block on demand; {@code ScheduleTargetsTest} runs the real ones.
 */
class SchedulerTest {
    @TempDir
    Path dir;

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final List<String> ran = new CopyOnWriteArrayList<>();
    final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();

    /** Records each run; fails when the target's ref says so. */
    final Targets counting = (target, actor, linked) -> {
        ran.add(target.ref() + " by " + actor);
        linked.accept("ref-" + ran.size());
        return target.ref().startsWith("bad")
                ? Outcome.failed("it broke")
                : new Outcome(true, "ref-" + ran.size(), "done");
    };

    private static final String DAILY = """
            schedules:
              nightly: { cron: "0 2 * * *", drill: nightly-check }
            """;

    private Scheduler scheduler(
            Store store, Map<String, ScheduleDef> defs, Targets targets, ManualClock clock, String node) {
        return new Scheduler(store, () -> defs, targets, alerts::add, registry, clock, node);
    }

    @Test
    void eachSlotFiresOnceAndIsRecorded() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T01:59:30Z"));
        try (Store store = ScheduleFixture.embedded(dir);
                Scheduler s = scheduler(store, ScheduleFixture.schedules(dir, DAILY), counting, clock, "n1")) {
            s.tick();
            assertThat(ran).isEmpty();
            clock.advance(Duration.ofSeconds(30)); // 02:00:00
            s.tick();
            s.tick();
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            s.tick();
            assertThat(ran).containsExactly("nightly-check by schedule");
            ScheduleRun run = s.runs("nightly", 10).getFirst();
            assertThat(run.fireMs())
                    .isEqualTo(Instant.parse("2026-06-01T02:00:00Z").toEpochMilli());
            assertThat(run.status()).isEqualTo(ScheduleRun.OK);
            assertThat(run.cause()).isEqualTo(Scheduler.CAUSE_SCHEDULE);
            assertThat(run.ref()).isEqualTo("ref-1");
            assertThat(run.node()).isEqualTo("n1");
            assertThat(run.startedMs()).isNotNull();
            assertThat(run.endedMs()).isNotNull();
            // listed with the next fire times
            Scheduler.Entry e = s.entry("nightly", 3);
            assertThat(e.next())
                    .containsExactly(
                            Instant.parse("2026-06-02T02:00:00Z"),
                            Instant.parse("2026-06-03T02:00:00Z"),
                            Instant.parse("2026-06-04T02:00:00Z"));
            assertThat(e.last().status()).isEqualTo(ScheduleRun.OK);
            clock.advance(Duration.ofDays(1));
            s.tick();
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(ran).hasSize(2);
            assertThat(registry.scrape())
                    .contains("opsdeck_schedule_last_success_timestamp_seconds{schedule=\"nightly\"} "
                            + (double) Instant.parse("2026-06-02T02:00:00Z").getEpochSecond());
            assertThat(registry.scrape()).contains("opsdeck_schedule_last_duration_seconds{schedule=\"nightly\"} 0.0");
        }
    }

    @Test
    void twoSchedulersOnOnePostgresStoreFireEachSlotOnce() throws Exception {
        String db = Scratch.name();
        Scratch.admin("CREATE DATABASE " + db);
        String yaml = """
                schedules:
                  every-minute: { cron: "* * * * *", drill: a, overlap: allow }
                  every-ten-seconds: { cron: "*/10 * * * * *", drill: b, overlap: allow }
                """;
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00.500Z"));
        try (Store storeA = ScheduleFixture.postgres(Scratch.url(db), dir.resolve("a"));
                Store storeB = ScheduleFixture.postgres(Scratch.url(db), dir.resolve("b"));
                Scheduler a = scheduler(storeA, ScheduleFixture.schedules(dir, yaml), counting, clock, "node-a");
                Scheduler b = scheduler(storeB, ScheduleFixture.schedules(dir, yaml), counting, clock, "node-b")) {
            a.tick(); // both first see the schedules now
            b.tick();
            for (int i = 0; i < 30; i++) {
                clock.advance(Duration.ofSeconds(10));
                // both nodes tick at the same moment, as two servers would
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (Scheduler s : List.of(a, b, a, b)) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            go.await();
                            s.tick();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                go.countDown();
                for (Thread t : threads) t.join();
            }
            assertThat(a.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(b.awaitIdle(Duration.ofSeconds(10))).isTrue();
            // 300 seconds: 5 minute slots and 30 ten-second slots, each run exactly once across both nodes
            assertThat(ran.stream().filter(r -> r.startsWith("a ")).count()).isEqualTo(5);
            assertThat(ran.stream().filter(r -> r.startsWith("b ")).count()).isEqualTo(30);
            List<ScheduleRun> runs = a.runs("every-ten-seconds", 100);
            assertThat(runs).hasSize(30).allMatch(r -> r.status().equals(ScheduleRun.OK));
            assertThat(runs.stream().map(ScheduleRun::fireMs).distinct()).hasSize(30);
            assertThat(runs.stream().map(ScheduleRun::node).distinct()).isSubsetOf("node-a", "node-b");
        } finally {
            Scratch.drop(db);
        }
    }

    @Test
    void aSlotMissedWhileDownRunsOnceAtStartWithinGrace() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T01:00:00Z"));
        var defs = ScheduleFixture.schedules(dir, DAILY);
        try (Store store = ScheduleFixture.embedded(dir)) {
            try (Scheduler s = scheduler(store, defs, counting, clock, "n1")) {
                s.tick(); // running before 02:00, then stopped
            }
            clock.advance(Duration.ofDays(2).plusMinutes(80)); // back at 02:20 two days later
            try (Scheduler s = scheduler(store, defs, counting, clock, "n1")) {
                s.recover();
                s.tick();
                assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
                s.tick();
                assertThat(ran).hasSize(1); // three slots passed (06-01, 06-02, 06-03 02:00): the latest runs, once
                ScheduleRun run = s.runs("nightly", 10).getFirst();
                assertThat(run.fireMs())
                        .isEqualTo(Instant.parse("2026-06-03T02:00:00Z").toEpochMilli());
                assertThat(run.status()).isEqualTo(ScheduleRun.OK);
                assertThat(run.message())
                        .contains("late by 20m")
                        .contains("run once within grace 1h")
                        .contains("2 earlier slots since 2026-06-01T01:00:00Z also missed");
                assertThat(alerts).noneMatch(a -> a.state() == AlertEvent.State.FIRING);
            }
        }
    }

    @Test
    void aSlotMissedBeyondGraceOrWithSkipIsRecordedAsMissedAndPages() throws Exception {
        String yaml = """
                schedules:
                  late: { cron: "0 2 * * *", drill: x, grace: 30m }
                  skipper: { cron: "0 2 * * *", drill: y, missed: skip, alert: { severity: P2 } }
                """;
        var defs = ScheduleFixture.schedules(dir, yaml);
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T01:00:00Z"));
        try (Store store = ScheduleFixture.embedded(dir)) {
            // the real incident manager: a missed run becomes an incident that pages, like any other alert
            List<String> notified = new CopyOnWriteArrayList<>();
            IncidentManager incidents = new IncidentManager(
                    store,
                    (channel, key, template, fields) -> {
                        notified.add(template);
                        return 1L;
                    },
                    () -> IncidentsConfig.DEFAULTS,
                    () -> null,
                    registry,
                    clock);
            try (Scheduler s = new Scheduler(store, () -> defs, counting, incidents, registry, clock, "n1")) {
                s.tick();
            }
            clock.advance(Duration.ofMinutes(100)); // 02:40: 40 minutes late
            try (Scheduler s = new Scheduler(store, () -> defs, counting, incidents, registry, clock, "n1")) {
                s.recover();
                s.tick();
                s.tick();
                assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
                assertThat(ran).isEmpty();
                ScheduleRun late = s.runs("late", 10).getFirst();
                assertThat(late.status()).isEqualTo(ScheduleRun.MISSED);
                assertThat(late.message()).contains("the grace of 30m has passed (late by 40m)");
                ScheduleRun skipped = s.runs("skipper", 10).getFirst();
                assertThat(skipped.status()).isEqualTo(ScheduleRun.MISSED);
                assertThat(skipped.message()).contains("missed: skip is set");
                assertThat(s.runs("skipper", 10)).hasSize(1); // recorded once, not at every tick
            }
            assertThat(registry.scrape())
                    .contains("opsdeck_schedule_missed_total{schedule=\"late\"} 1.0")
                    .contains("opsdeck_schedule_missed_total{schedule=\"skipper\"} 1.0");
            List<Incident> open = incidents.list(new IncidentManager.Filter("open", null, null, 10));
            assertThat(open).hasSize(2).allMatch(Incident::paged);
            assertThat(open).anySatisfy(i -> {
                // the title says "missed" once: the run's message does not repeat its status
                assertThat(i.title())
                        .isEqualTo("schedule skipper missed: Opsdeck was not running at "
                                + "2026-06-01T02:00:00Z and missed: skip is set");
                assertThat(i.severity()).isEqualTo("P2");
            });
            assertThat(open)
                    .anySatisfy(i -> assertThat(i.title())
                            .isEqualTo("schedule late missed: Opsdeck was not "
                                    + "running at 2026-06-01T02:00:00Z and the grace of 30m has passed (late by 40m)"));
            // while their incidents are open, both alerts are listed as firing, with the incidents' titles
            try (Scheduler s = new Scheduler(store, () -> defs, counting, incidents, registry, clock, "n1")) {
                assertThat(s.firing())
                        .extracting(a -> a.fingerprint(), a -> a.state(), a -> a.severity(), a -> a.summary())
                        .containsExactlyInAnyOrder(
                                Tuple.tuple(
                                        "schedule/late/missed",
                                        AlertEvent.State.FIRING,
                                        AlertEvent.Severity.P3,
                                        open.stream()
                                                .filter(i -> i.title().contains("late"))
                                                .findFirst()
                                                .orElseThrow()
                                                .title()),
                                Tuple.tuple(
                                        "schedule/skipper/missed",
                                        AlertEvent.State.FIRING,
                                        AlertEvent.Severity.P2,
                                        open.stream()
                                                .filter(i -> i.title().contains("skipper"))
                                                .findFirst()
                                                .orElseThrow()
                                                .title()));
            }
            // the next run that succeeds resolves the alert, and with it the incident
            clock.advance(Duration.ofDays(1).minusMinutes(40)); // 02:00 the next day
            try (Scheduler s = new Scheduler(store, () -> defs, counting, incidents, registry, clock, "n1")) {
                s.tick();
                assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(ran).hasSize(2);
            assertThat(incidents.list(new IncidentManager.Filter("open", null, null, 10)))
                    .isEmpty();
            try (Scheduler s = new Scheduler(store, () -> defs, counting, incidents, registry, clock, "n1")) {
                assertThat(s.firing()).isEmpty();
            }
        }
    }

    @Test
    void aFailedRunIsRecordedCountedAndAlerted() throws Exception {
        var defs = ScheduleFixture.schedules(dir, """
                schedules:
                  broken: { cron: "0 * * * *", drill: bad-drill }
                  quiet: { cron: "0 * * * *", drill: bad-too, alert: { on: [] } }
                """);
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:59:59Z"));
        try (Store store = ScheduleFixture.embedded(dir);
                Scheduler s = scheduler(store, defs, counting, clock, "n1")) {
            s.tick();
            clock.advance(Duration.ofSeconds(1));
            s.tick();
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            ScheduleRun run = s.runs("broken", 1).getFirst();
            assertThat(run.status()).isEqualTo(ScheduleRun.FAILED);
            assertThat(run.message()).isEqualTo("it broke");
            assertThat(registry.scrape()).contains("opsdeck_schedule_failures_total{schedule=\"broken\"} 1.0");
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.state()).isEqualTo(AlertEvent.State.FIRING);
                assertThat(a.name()).isEqualTo("ScheduleFailed");
                assertThat(a.source()).isEqualTo("schedule");
                assertThat(a.fingerprint()).isEqualTo("schedule/broken/failed");
                assertThat(a.severity()).isEqualTo(AlertEvent.Severity.P3);
                assertThat(a.labels()).containsEntry("schedule", "broken").containsEntry("target", "drill:bad-drill");
            });
        }
    }

    @Test
    void overlapSkipRecordsTheSlotAsSkippedWhileTheLastRunGoes() throws Exception {
        Blocking blocking = new Blocking();
        var defs = ScheduleFixture.schedules(dir, """
                schedules:
                  slow: { cron: "* * * * *", drill: d, overlap: skip }
                """);
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:30Z"));
        try (Store store = ScheduleFixture.embedded(dir);
                Scheduler s = scheduler(store, defs, blocking, clock, "n1")) {
            s.tick();
            clock.advance(Duration.ofSeconds(30)); // 00:01
            s.tick();
            assertThat(blocking.started.poll(5, TimeUnit.SECONDS)).isNotNull();
            clock.advance(Duration.ofMinutes(1)); // 00:02 while the 00:01 run still goes
            s.tick();
            assertThat(s.runs("slow", 10))
                    .extracting(ScheduleRun::status)
                    .containsExactly(ScheduleRun.SKIPPED, ScheduleRun.RUNNING);
            assertThat(s.runs("slow", 10).getFirst().message()).contains("the previous run is still going");
            blocking.release.countDown();
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(s.runs("slow", 10))
                    .extracting(ScheduleRun::status)
                    .containsExactly(ScheduleRun.SKIPPED, ScheduleRun.OK);
            assertThat(blocking.runs.get()).isEqualTo(1);
        }
    }

    @Test
    void overlapQueueRunsTheSlotWhenTheLastRunEnds() throws Exception {
        Blocking blocking = new Blocking();
        var defs = ScheduleFixture.schedules(dir, """
                schedules:
                  slow: { cron: "* * * * *", drill: d, overlap: queue }
                """);
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:30Z"));
        try (Store store = ScheduleFixture.embedded(dir);
                Scheduler s = scheduler(store, defs, blocking, clock, "n1")) {
            s.tick();
            clock.advance(Duration.ofSeconds(30));
            s.tick();
            assertThat(blocking.started.poll(5, TimeUnit.SECONDS)).isNotNull();
            clock.advance(Duration.ofMinutes(1));
            s.tick();
            s.tick();
            assertThat(s.runs("slow", 10))
                    .extracting(ScheduleRun::status)
                    .containsExactly(ScheduleRun.QUEUED, ScheduleRun.RUNNING);
            assertThat(blocking.runs.get()).isEqualTo(1);
            blocking.release.countDown(); // the first ends, the queued one starts at once and (released) ends too
            assertThat(blocking.started.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(s.runs("slow", 10))
                    .extracting(ScheduleRun::status)
                    .containsExactly(ScheduleRun.OK, ScheduleRun.OK);
            assertThat(blocking.runs.get()).isEqualTo(2);
        }
    }

    @Test
    void runNowRunsOutsideTheCronAndDoesNotMoveTheNextSlot() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T01:00:00Z"));
        try (Store store = ScheduleFixture.embedded(dir);
                Scheduler s = scheduler(store, ScheduleFixture.schedules(dir, DAILY), counting, clock, "n1")) {
            s.tick();
            ScheduleRun run = s.runNow("nightly", "alice");
            assertThat(run.cause()).isEqualTo(Scheduler.CAUSE_MANUAL);
            assertThat(run.actor()).isEqualTo("alice");
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(ran).containsExactly("nightly-check by alice");
            clock.advance(Duration.ofHours(1)); // 02:00: the cron slot still fires
            s.tick();
            assertThat(s.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(ran).hasSize(2);
        }
    }

    @Test
    void aRunLeftRunningByAStoppedProcessIsMarkedFailedAtItsNextStart() throws Exception {
        Blocking blocking = new Blocking();
        var defs = ScheduleFixture.schedules(dir, DAILY);
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T01:59:59Z"));
        try (Store store = ScheduleFixture.embedded(dir)) {
            Scheduler first = scheduler(store, defs, blocking, clock, "n1");
            first.tick();
            clock.advance(Duration.ofSeconds(1));
            first.tick();
            assertThat(blocking.started.poll(5, TimeUnit.SECONDS)).isNotNull();
            // the process dies: nothing finishes the row. The next start on this node marks it failed.
            try (Scheduler second = scheduler(store, defs, counting, clock, "n1")) {
                second.recover();
                ScheduleRun run = second.runs("nightly", 1).getFirst();
                assertThat(run.status()).isEqualTo(ScheduleRun.FAILED);
                assertThat(run.message()).isEqualTo("interrupted: Opsdeck stopped before this run ended");
                // a failed run like any other: alerted, counted, and listed while it fires
                assertThat(alerts).singleElement().satisfies(a -> {
                    assertThat(a.state()).isEqualTo(AlertEvent.State.FIRING);
                    assertThat(a.fingerprint()).isEqualTo("schedule/nightly/failed");
                    assertThat(a.summary())
                            .isEqualTo(
                                    "schedule nightly failed: interrupted: Opsdeck stopped before this " + "run ended");
                });
                assertThat(registry.scrape()).contains("opsdeck_schedule_failures_total{schedule=\"nightly\"} 1.0");
                assertThat(second.firing())
                        .extracting(AlertEvent::fingerprint)
                        .containsExactly("schedule/nightly/failed");
            }
            try (Scheduler third = scheduler(store, defs, counting, clock, "n1")) {
                third.recover();
                assertThat(alerts).as("told once").hasSize(1);
            }
            blocking.release.countDown();
            first.close();
        }
    }

    /** A target that waits for {@code release}; {@code started} receives a token at each start. */
    static final class Blocking implements Targets {
        final CountDownLatch release = new CountDownLatch(1);
        final BlockingQueue<String> started = new LinkedBlockingQueue<>();
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public Outcome run(ScheduleDef.Target target, String actor, Consumer<String> linked) {
            runs.incrementAndGet();
            started.add(target.ref());
            try {
                if (!release.await(10, TimeUnit.SECONDS)) return Outcome.failed("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.failed("interrupted");
            }
            return new Outcome(true, null, "done");
        }
    }
}
