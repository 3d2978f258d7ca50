package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.store.PrivatePostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paging through a store outage, with a PostgreSQL store that is stopped for the duration and a real webhook
 * receiver that counts every page: a service that goes down while the store is away is paged during the outage
 * (from the local spool), its incident is opened when the store is back, and nothing is paged twice — also when
 * the outage begins while an alert is already firing, and when Opsdeck is killed (SIGKILL) during the outage.
 */
class PagingOutageTest {
    @TempDir
    Path dir;

    @Test
    void aServiceThatGoesDownWhileTheStoreIsDownIsPagedOnceAndItsIncidentCatchesUp() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 binaries not installed");
        try (PrivatePostgres pg = PrivatePostgres.start();
                WebhookReceiver receiver = new WebhookReceiver();
                Target target = new Target()) {
            Path config = config(pg, receiver, target.port);
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/api")
                                .path("status")
                                .asText()
                                .equals("up"),
                        "api up");
                pg.stopServer(); // the outage begins before the alert
                target.down();
                TestServer.await(() -> receiver.count("incident.triggered") == 1, "a page during the outage");
                Thread.sleep(3_000); // the store is still away: the page is not repeated
                assertThat(receiver.count("incident.triggered")).isEqualTo(1);

                pg.startServer();
                awaitLong(() -> openIncidents(server) == 1, "the incident once the store is back");
                JsonNode incident = incident(server);
                assertThat(incident.toString()).contains("api");
                awaitLong(
                        () -> incident(server).toString().contains("incident.triggered to hook: delivered"),
                        "the page on the incident's timeline");
                Thread.sleep(3_000); // the outbox must not send what the spool already sent
                assertThat(receiver.count("incident.triggered"))
                        .as("paged exactly once")
                        .isEqualTo(1);

                target.up();
                awaitLong(() -> receiver.count("incident.resolved") == 1, "the resolution");
                Thread.sleep(1_000);
                assertThat(receiver.count("incident.triggered")).isEqualTo(1);
                assertThat(receiver.count("incident.resolved")).isEqualTo(1);
            }
        }
    }

    @Test
    void anOutageThatBeginsWhileAnAlertIsPendingPagesOnceAndResolvesOnce() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 binaries not installed");
        try (PrivatePostgres pg = PrivatePostgres.start();
                WebhookReceiver receiver = new WebhookReceiver();
                Target target = new Target()) {
            Path config = config(pg, receiver, target.port, "for: 2s");
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/api")
                                .path("status")
                                .asText()
                                .equals("up"),
                        "api up");
                target.down();
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/alerts").toString().contains("pending"), "a pending alert");
                pg.stopServer(); // the outage begins during the alert: it fires while the store is away
                TestServer.await(() -> receiver.count("incident.triggered") == 1, "a page during the outage");
                target.up(); // and it resolves while the store is still away
                // the API needs the store (every request's key is looked up there): ask the alert engine itself
                TestServer.await(() -> server.server.alerts().active(null).isEmpty(), "the alert to resolve");
                Thread.sleep(2_000);

                pg.startServer();
                awaitLong(() -> receiver.count("incident.resolved") == 1, "the resolution once the store is back");
                JsonNode incident = incident(server);
                assertThat(incident.path("state").asText()).isEqualTo("resolved");
                Thread.sleep(3_000);
                assertThat(receiver.count("incident.triggered"))
                        .as("paged exactly once")
                        .isEqualTo(1);
                assertThat(receiver.count("incident.resolved")).isEqualTo(1);
            }
        }
    }

    /**
     * {@code recoveredBeforeRestart}: the target is back before the restart, so the restarted process never sees
     * the alert fire; the killed process's kept event still opens the incident, and its resolution is still told.
     */
    @ParameterizedTest(name = "target recovered before the restart: {0}")
    @ValueSource(booleans = {false, true})
    void killedDuringTheOutageItPagesOnceAndOpensTheIncidentAfterTheRestart(boolean recoveredBeforeRestart)
            throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 binaries not installed");
        try (PrivatePostgres pg = PrivatePostgres.start();
                WebhookReceiver receiver = new WebhookReceiver();
                Target target = new Target()) {
            Path config = config(pg, receiver, target.port);
            Process child = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-Xmx256m",
                            "--enable-native-access=ALL-UNNAMED",
                            "-cp",
                            System.getProperty("java.class.path"),
                            ServerChild.class.getName(),
                            config.toString()))
                    .redirectError(dir.resolve("child.err").toFile())
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                assertThat(out.readLine())
                        .as("child output (see %s)", dir.resolve("child.err"))
                        .startsWith("url ");
                Thread.sleep(1_500); // a few results: the service is up
                pg.stopServer();
                target.down();
                TestServer.await(() -> receiver.count("incident.triggered") == 1, "a page during the outage");
                Thread.sleep(500);
                child.destroyForcibly(); // kill -9 while the store is away
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            if (recoveredBeforeRestart) target.up();
            pg.startServer();
            try (TestServer server = new TestServer(config)) {
                awaitLong(
                        () -> incident(server).toString().contains("incident.triggered to hook: delivered"),
                        "the incident after the restart, with the page on its timeline");
                if (!recoveredBeforeRestart) {
                    Thread.sleep(3_000);
                    assertThat(openIncidents(server)).isEqualTo(1);
                    assertThat(receiver.count("incident.triggered"))
                            .as("paged exactly once")
                            .isEqualTo(1);
                    target.up();
                }
                awaitLong(() -> receiver.count("incident.resolved") == 1, "the resolution");
                awaitLong(() -> openIncidents(server) == 0, "the incident resolved");
                Thread.sleep(2_000);
                assertThat(server.json("/api/v1/incidents").path("incidents"))
                        .as("one incident")
                        .hasSize(1);
                assertThat(receiver.count("incident.triggered"))
                        .as("paged exactly once")
                        .isEqualTo(1);
                assertThat(receiver.count("incident.resolved")).isEqualTo(1);
            }
        }
    }

    private Path config(PrivatePostgres pg, WebhookReceiver receiver, int port, String... alert) throws Exception {
        String own = alert.length == 0 ? "" : ", alert: { " + alert[0] + " }";
        return Files.writeString(
                dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                store: { url: "%s" }
                monitoring: { jitter: 0%% }
                channels:
                  hook: { type: webhook, url: "%s", retry_horizon: 1h }
                incidents: { notify: [hook] }
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1%s }
                """.formatted(dir.resolve("data"), pg.url(), receiver.url(), port, own));
    }

    private static int openIncidents(TestServer server) throws Exception {
        return server.json("/api/v1/incidents?state=open").path("incidents").size();
    }

    private static JsonNode incident(TestServer server) throws Exception {
        JsonNode list = server.json("/api/v1/incidents");
        return server.json(
                "/api/v1/incidents/" + list.path("incidents").get(0).path("id").asText());
    }

    /** Recovery takes the store's pool a few seconds to notice: longer than {@link TestServer#await}. */
    static void awaitLong(TestServer.Probe condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                if (condition.holds()) return;
            } catch (Exception e) {
                // not yet
            }
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    /** A TCP port that is open (up: accepts and closes each connection) or closed (down). */
    static final class Target implements AutoCloseable {
        final int port;
        private volatile ServerSocket socket;

        Target() throws Exception {
            socket = listen(0);
            port = socket.getLocalPort();
        }

        void down() throws Exception {
            socket.close();
        }

        void up() throws Exception {
            socket = listen(port);
        }

        private static ServerSocket listen(int port) throws Exception {
            ServerSocket s = new ServerSocket(port);
            Thread.ofVirtual().start(() -> {
                while (!s.isClosed()) {
                    try {
                        s.accept().close(); // a backlog that fills up would make the check time out
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            return s;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
