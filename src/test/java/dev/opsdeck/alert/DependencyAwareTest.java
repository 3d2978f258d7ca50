package dev.opsdeck.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.ManualClock;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.MonitorMetrics;
import dev.opsdeck.probe.CheckTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real monitor engine probing a real HTTP server, with the alert engine as its listener: when the root of
 * the dependency graph is down, only it pages; its dependents' alerts are attached to it, unless a rule opts out.
 */
class DependencyAwareTest {
    private static final int DEPENDENTS = 10;

    @TempDir
    Path dir;

    @Test
    void onlyTheRootCausePagesAndEveryResolutionIsStillDelivered() throws Exception {
        // one real HTTP server answers for every service, with the status the test sets
        Map<String, Integer> answer = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(
                    answer.getOrDefault(exchange.getRequestURI().getPath().substring(1), 200), -1);
            exchange.close();
        });
        server.start();
        StringBuilder yaml = new StringBuilder("""
                alerts:
                  rules:
                    SoloDown: {service: solo, state: down, severity: P1, dependency_aware: false}
                services:
                """);
        for (String s : services()) {
            yaml.append("  ")
                    .append(s)
                    .append(":\n")
                    .append(s.equals("root") ? "" : "    depends_on: [root]\n")
                    .append("    checks:\n      health: {type: http, url: \"http://127.0.0.1:")
                    .append(server.getAddress().getPort())
                    .append("/")
                    .append(s)
                    .append("\"")
                    // a day between scheduled runs: the test runs each check itself, in order
                    .append(", interval: 24h")
                    .append(s.equals("solo") ? ", alert: {enabled: false}" : "")
                    .append("}\n");
        }
        Blueprint bp = AlertFixture.load(dir, yaml.toString());
        List<AlertEvent> events = new CopyOnWriteArrayList<>();
        try (MonitorEngine monitor =
                        new MonitorEngine(null, new MonitorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
                AlertEngine alerts = new AlertEngine(
                        events::add,
                        RootCauses.of(monitor),
                        null,
                        new SimpleMeterRegistry(),
                        CheckTypes.standard(),
                        Clock.systemUTC())) {
            monitor.addListener(alerts);
            alerts.apply(bp.config(), bp.checks());
            monitor.apply(bp.config(), bp.checks(), Map.of());
            for (String s : services()) answer.put(s, 503); // everything fails now
            for (String s : services()) monitor.runNow(s + "/health"); // the root first, as it fails first

            List<AlertEvent> firing = events.stream()
                    .filter(e -> e.state() == AlertEvent.State.FIRING)
                    .toList();
            assertThat(firing).hasSize(DEPENDENTS + 2);
            assertThat(firing.stream().filter(e -> !e.suppressed()).map(AlertEvent::name))
                    .containsExactlyInAnyOrder("root/health", "SoloDown");
            assertThat(firing.stream().filter(AlertEvent::suppressed))
                    .hasSize(DEPENDENTS)
                    .allSatisfy(e -> {
                        assertThat(e.rootCause()).isEqualTo("root");
                        assertThat(e.impacted()).containsExactly(e.service());
                        assertThat(e.suppressedBy()).isEqualTo("impacted by root, the root cause");
                    });
            assertThat(firing)
                    .filteredOn(e -> e.name().equals("SoloDown"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.rootCause()).isEqualTo("root")); // told, and pages on its own
            assertThat(firing)
                    .filteredOn(e -> e.name().equals("root/health"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.rootCause()).isEqualTo("root"));

            events.clear();
            answer.clear(); // everything answers 200 again
            for (String s : services()) monitor.runNow(s + "/health");
            assertThat(events)
                    .hasSize(DEPENDENTS + 2)
                    .allSatisfy(e -> assertThat(e.state()).isEqualTo(AlertEvent.State.RESOLVED));
            assertThat(events.stream().filter(AlertEvent::suppressed)).hasSize(DEPENDENTS);
        } finally {
            server.stop(0);
            bp.checks().values().forEach(c -> c.close());
        }
    }

    /**
     * Checks run on their own schedules, so a dependent can fail before its dependency's check notices: its alert
     * waits (the dependency wait, worked out from the dependency's check) and pages only if no dependency is found
     * down within it.
     */
    @Test
    void aDependentThatFailsFirstWaitsForItsDependencyInsteadOfPagingAlone() throws Exception {
        Map<String, Integer> answer = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(
                    answer.getOrDefault(exchange.getRequestURI().getPath().substring(1), 200), -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        Blueprint bp = AlertFixture.load(dir, """
                services:
                  root:
                    checks:
                      health: {type: http, url: "%1$sroot", interval: 20s, timeout: 5s, failure_threshold: 2}
                  app:
                    depends_on: [root]
                    checks:
                      health: {type: http, url: "%1$sapp", interval: 24h}
                  lone:
                    depends_on: [root]
                    checks:
                      health: {type: http, url: "%1$slone", interval: 24h}
                """.formatted(url));
        List<AlertEvent> events = new CopyOnWriteArrayList<>();
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00Z"));
        try (MonitorEngine monitor =
                        new MonitorEngine(null, new MonitorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
                AlertEngine alerts = new AlertEngine(
                        events::add,
                        RootCauses.of(monitor),
                        null,
                        new SimpleMeterRegistry(),
                        CheckTypes.standard(),
                        clock)) {
            monitor.addListener(alerts);
            alerts.apply(bp.config(), bp.checks());
            monitor.apply(bp.config(), bp.checks(), Map.of());
            monitor.runNow("root/health");

            answer.put("root", 503);
            answer.put("app", 503);
            monitor.runNow("app/health"); // the app notices first; root has one failure of the two it needs
            monitor.runNow("root/health");
            assertThat(events).as("nothing pages while the app waits for root").isEmpty();
            assertThat(alerts.active(ActiveAlert.State.PENDING))
                    .extracting(ActiveAlert::name)
                    .containsExactly("app/health");

            clock.advance(Duration.ofSeconds(20));
            monitor.runNow("root/health"); // root's second failure: down, the root cause pages
            monitor.runNow("app/health");
            assertThat(events)
                    .extracting(AlertEvent::name, AlertEvent::suppressed, AlertEvent::rootCause)
                    .containsExactly(
                            Tuple.tuple("root/health", false, "root"), Tuple.tuple("app/health", true, "root"));

            events.clear();
            answer.remove("root");
            monitor.runNow("root/health"); // root is up again; now "lone" fails on its own
            answer.put("lone", 503);
            monitor.runNow("lone/health");
            assertThat(events.stream().filter(e -> e.name().equals("lone/health")))
                    .isEmpty();
            clock.advance(Duration.ofSeconds(44)); // 20 s x 2 + 5 s: not yet past the wait
            monitor.runNow("lone/health");
            assertThat(events.stream().filter(e -> e.name().equals("lone/health")))
                    .isEmpty();
            clock.advance(Duration.ofSeconds(2));
            monitor.runNow("lone/health"); // no dependency went down within the wait: lone is its own cause
            assertThat(events)
                    .filteredOn(e -> e.name().equals("lone/health"))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.suppressed()).isFalse();
                        assertThat(e.rootCause()).isEqualTo("lone");
                    });
        } finally {
            server.stop(0);
            bp.checks().values().forEach(c -> c.close());
        }
    }

    private static List<String> services() {
        List<String> out = new ArrayList<>(List.of("root"));
        for (int i = 1; i <= DEPENDENTS; i++) out.add("app" + i);
        out.add("solo");
        return out;
    }
}
