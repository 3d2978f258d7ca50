package dev.opsdeck.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine running real tcp checks against loopback servers. */
class MonitorEngineTest {
    @TempDir
    Path dir;

    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) c.close();
    }

    <T extends AutoCloseable> T keep(T c) {
        cleanup.add(c);
        return c;
    }

    Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
    }

    @Test
    void serviceStatusIsTheWorstOfItsChecksAndRootCausesFollowDependsOn() throws Exception {
        TcpTarget up = keep(TcpTarget.up());
        int closed = TcpTarget.closedPort();
        EngineHarness h = keep(new EngineHarness());
        h.apply(EngineHarness.load(config("""
                services:
                  postgres:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %2$d, interval: 100ms }
                  api:
                    depends_on: [postgres]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 100ms }
                      db: { type: tcp, host: 127.0.0.1, port: %2$d, interval: 100ms }
                  web:
                    depends_on: [api]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 100ms, degraded_when: ["[CONNECTED] == true"] }
                  cache:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 100ms }
                  idle: {}
                """.formatted(up.port(), closed))));
        EngineHarness.await(
                () -> h.engine.services().stream()
                        .flatMap(s -> s.checks().stream())
                        .noneMatch(c -> c.status() == Status.UNKNOWN),
                "every check to report");

        ServiceStatus postgres = h.service("postgres");
        assertThat(postgres.status()).isEqualTo(Status.DOWN);
        assertThat(postgres.impactedBy()).as("postgres is the root").isEmpty();
        assertThat(postgres.message()).isEqualTo("port: connection refused");
        ServiceStatus api = h.service("api");
        assertThat(api.checks()).extracting(ServiceStatus.CheckStatus::status).containsExactly(Status.UP, Status.DOWN);
        assertThat(api.status()).isEqualTo(Status.DOWN);
        assertThat(api.impactedBy()).containsExactly("postgres");
        assertThat(api.message()).isEqualTo("db: connection refused");
        ServiceStatus web = h.service("web");
        assertThat(web.status()).isEqualTo(Status.DEGRADED);
        assertThat(web.impactedBy()).containsExactly("postgres");
        assertThat(web.message()).startsWith("port: degraded: ");
        assertThat(h.service("cache").status()).isEqualTo(Status.UP);
        assertThat(h.service("cache").impactedBy()).isEmpty();
        assertThat(h.service("idle").status()).isEqualTo(Status.UNKNOWN);
        assertThat(h.service("idle").message()).isEqualTo("no result yet");
        assertThat(h.check("api/port").latencyMs()).isLessThan(100);
        assertThat(h.check("api/port").values()).containsEntry("CONNECTED", true);
    }

    @Test
    void thresholdsApplyToRealOutagesAndRecoveries() throws Exception {
        TcpTarget target = TcpTarget.up();
        int port = target.port();
        EngineHarness h = keep(new EngineHarness());
        h.apply(EngineHarness.load(config("""
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 100ms, failure_threshold: 2, success_threshold: 2 }
                """.formatted(port))));
        // wait on the listener, which is told after the state changed
        EngineHarness.await(() -> transitions(h).size() == 1, "up");
        target.close();
        EngineHarness.await(() -> transitions(h).size() == 2, "down");
        target = keep(TcpTarget.up(port));
        EngineHarness.await(() -> transitions(h).size() == 3, "up again");
        assertThat(transitions(h)).containsExactly("unknown->up", "up->down", "down->up");
        assertThat(h.check("api/port").status()).isEqualTo(Status.UP);

        List<EngineHarness.Event> events = h.of("api/port");
        int firstDown = indexOf(events, Status.DOWN, 0);
        assertThat(events.get(firstDown).current()).as("one down is not enough").isEqualTo(Status.UP);
        assertThat(events.get(firstDown + 1).result().status()).isEqualTo(Status.DOWN);
        assertThat(events.get(firstDown + 1).current()).isEqualTo(Status.DOWN);
        int firstUp = indexOf(events, Status.UP, firstDown);
        assertThat(events.get(firstUp).current())
                .as("one success is not enough")
                .isEqualTo(Status.DOWN);
        assertThat(events.get(firstUp + 1).current()).isEqualTo(Status.UP);
    }

    private static List<String> transitions(EngineHarness h) {
        return h.of("api/port").stream()
                .filter(e -> e.previous() != null)
                .map(e -> e.previous().label() + "->" + e.current().label())
                .toList();
    }

    private static int indexOf(List<EngineHarness.Event> events, Status raw, int from) {
        for (int i = from; i < events.size(); i++) if (events.get(i).result().status() == raw) return i;
        throw new AssertionError("no " + raw + " result after " + from);
    }

    @Test
    void aHangingPeerDoesNotDelayOtherChecks() throws Exception {
        TcpTarget silent = keep(TcpTarget.silent());
        TcpTarget up = keep(TcpTarget.up());
        StringBuilder yaml = new StringBuilder("""
                services:
                  stuck:
                    checks:
                      tcp: { type: tcp, host: 127.0.0.1, port: %d, send: "PING\\n", expect: PONG, interval: 200ms, timeout: 300ms }
                      raw: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 300ms }
                  fast:
                    checks:
                """.formatted(silent.port(), silent.port()));
        for (int i = 0; i < 8; i++) {
            yaml.append("      c")
                    .append(i)
                    .append(": { type: tcp, host: 127.0.0.1, port: ")
                    .append(up.port())
                    .append(", interval: 100ms }\n");
        }
        Blueprint loaded = EngineHarness.load(config(yaml.toString()));
        // "raw" gets a probe that ignores its timeout entirely: a blocking read on a peer that never answers
        Map<String, CompiledCheck> checks = new LinkedHashMap<>(loaded.checks());
        CompiledCheck raw = checks.get("stuck/raw");
        raw.close();
        checks.put(
                "stuck/raw",
                new CompiledCheck(
                        raw.definition(),
                        context -> {
                            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), silent.port())) {
                                s.getOutputStream().write("PING\n".getBytes());
                                return new Observation()
                                        .put(
                                                "BODY",
                                                new String(s.getInputStream().readAllBytes()));
                            }
                        },
                        List.of(),
                        List.of()));
        EngineHarness h = keep(new EngineHarness());
        h.engine.apply(loaded.config(), checks, Map.of());
        Thread.sleep(2_000);

        EngineHarness.Event tcp = h.of("stuck/tcp").getFirst();
        assertThat(tcp.result().status()).isEqualTo(Status.DOWN);
        assertThat(tcp.result().latencyMillis()).isBetween(290L, 600L);
        // TcpCheck describes a silent peer as a missing reply; the engine's own deadline says "timed out after"
        assertThat(tcp.result().message()).matches("timed out after 300ms.*|expected \"PONG\" in the reply, got \"\"");
        EngineHarness.Event hung = h.of("stuck/raw").getFirst();
        assertThat(hung.result().status()).isEqualTo(Status.DOWN);
        assertThat(hung.result().message()).isEqualTo("timed out after 300ms");
        assertThat(h.check("stuck/raw").status()).isEqualTo(Status.DOWN);
        assertThat(h.of("stuck/raw").size())
                .as("the hung probe was interrupted and ran again")
                .isGreaterThan(1);

        for (int i = 0; i < 8; i++) {
            List<EngineHarness.Event> fast = h.of("fast/c" + i);
            assertThat(fast.size()).as("runs of fast/c%d in 2 s", i).isBetween(16, 21);
            assertThat(fast).allMatch(e -> e.result().status() == Status.UP);
            for (int j = 1; j < fast.size(); j++) {
                assertThat(fast.get(j).receivedMs() - fast.get(j - 1).receivedMs())
                        .as("gap between runs")
                        .isLessThan(200);
            }
        }
        // a probe blocking the scheduler would show up as lag of at least the 300 ms it hangs; staying
        // clearly below that proves independence without depending on how busy the machine is
        assertThat(h.maxLagSeconds()).as("schedule lag").isLessThan(0.2);
    }

    @Test
    void aListenerStuckOnATimedOutResultDoesNotStopTheSchedule() throws Exception {
        TcpTarget silent = keep(TcpTarget.silent());
        TcpTarget up = keep(TcpTarget.up());
        Blueprint loaded = EngineHarness.load(config("""
                services:
                  stuck:
                    checks:
                      raw: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 300ms }
                  fast:
                    checks:
                      c: { type: tcp, host: 127.0.0.1, port: %d, interval: 100ms }
                """.formatted(silent.port(), up.port())));
        Map<String, CompiledCheck> checks = new LinkedHashMap<>(loaded.checks());
        CompiledCheck raw = checks.get("stuck/raw");
        raw.close();
        // a probe that ignores its timeout, so that the engine's own deadline records the result
        checks.put(
                "stuck/raw",
                new CompiledCheck(
                        raw.definition(),
                        context -> {
                            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), silent.port())) {
                                return new Observation()
                                        .put(
                                                "BODY",
                                                new String(s.getInputStream().readAllBytes()));
                            }
                        },
                        List.of(),
                        List.of()));
        CountDownLatch release = new CountDownLatch(1);
        EngineHarness h = keep(new EngineHarness());
        // like an alert listener waiting on a busy lock during an alert storm
        h.engine.addListener((id, result, current, previous) -> {
            if (id.equals("stuck/raw")) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        h.engine.apply(loaded.config(), checks, Map.of());
        try {
            EngineHarness.await(() -> h.of("stuck/raw").size() == 1, "the timed-out result");
            int before = h.of("fast/c").size();
            Thread.sleep(1_000);
            assertThat(h.of("fast/c").size() - before)
                    .as("runs of fast/c while the listener is stuck")
                    .isGreaterThan(5);
        } finally {
            release.countDown();
        }
    }

    @Test
    void manyChecksStartedTogetherRampUpOverTheirFirstInterval() {
        var random = new SplittableRandom(42);
        int n = 100_000;
        long interval = 10_000;
        int[] firstQuarters = new int[4];
        int[] phaseQuarters = new int[4];
        int later = 0;
        for (int i = 0; i < n; i++) {
            long offset = MonitorEngine.firstRunOffset(interval, 1.0, true, random);
            assertThat(offset).isBetween(0L, 2 * interval - 1);
            if (offset < interval) firstQuarters[(int) (offset * 4 / interval)]++;
            else later++;
            phaseQuarters[(int) (offset % interval * 4 / interval)]++;
        }
        // the first interval carries half the checks, rising: 1/32, 3/32, 5/32 and 7/32 of them per quarter
        assertThat(later).isBetween(n * 48 / 100, n * 52 / 100);
        int[] share = {1, 3, 5, 7}; // thirty-seconds
        for (int q = 0; q < 4; q++) {
            assertThat(firstQuarters[q])
                    .as("quarter %d of the first interval", q)
                    .isBetween(n * share[q] / 32 * 95 / 100, n * share[q] / 32 * 105 / 100);
            // from the second interval on every check runs once per interval, at an evenly spread phase
            assertThat(phaseQuarters[q]).as("phase quarter %d", q).isBetween(n / 4 * 97 / 100, n / 4 * 103 / 100);
        }
        // without the ramp (fewer checks than RAMP_MIN_CHECKS) a first run is always within the first interval
        for (int i = 0; i < 1_000; i++) {
            assertThat(MonitorEngine.firstRunOffset(interval, 1.0, false, random))
                    .isBetween(0L, interval - 1);
            assertThat(MonitorEngine.firstRunOffset(interval, 0.2, true, random))
                    .isLessThan(interval + 2_000);
        }
        assertThat(MonitorEngine.firstRunOffset(interval, 0.0, true, random)).isZero();
    }
}
