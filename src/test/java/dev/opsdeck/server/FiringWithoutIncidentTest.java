package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.store.Store;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kill at the instant a check turns down can leave: the alert stored as firing, and no incident (the
 * process died between the two commits). At the next start the alert counts as already firing, so no transition
 * would ever page again while the target stays down; the start reconciles it instead: one incident, one page, and
 * a further restart pages nothing more.
 */
class FiringWithoutIncidentTest {
    @TempDir
    Path dir;

    @Test
    void anAlertStoredFiringWithoutItsIncidentOpensItAndPagesOnceAfterTheRestart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed from here on: the target is down
        }
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Path data = dir.resolve("data");
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook] }
                    services:
                      api:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(data, receiver.url(), port));
            long firedMs = System.currentTimeMillis() - 5_000;
            try (Store store = Store.open(new StoreConfig("embedded", 2, Position.NONE), data);
                    Connection c = store.dataSource().getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("INSERT INTO alert_active (fingerprint, name, state, severity,"
                                    + " service, check_id, since_ms, suppressed, root_cause, summary, description, runbook, labels,"
                                    + " measured) VALUES (?, 'api/port', 'FIRING', 'P2', 'api', 'api/port', ?, 0, 'api',"
                                    + " 'api/port is down', NULL, NULL, ?, NULL)")) {
                ps.setString(1, checkFingerprint("api/port"));
                ps.setLong(2, firedMs);
                ps.setString(3, "{\"alertname\":\"api/port\",\"service\":\"api\",\"check\":\"api/port\"}");
                ps.executeUpdate();
            }

            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents?state=open")
                                        .path("incidents")
                                        .size()
                                == 1,
                        "the incident of the alert stored firing");
                TestServer.await(() -> receiver.count("incident.triggered") == 1, "its page");
                assertThat(server.json("/api/v1/incidents?state=open")
                                .path("incidents")
                                .get(0)
                                .toString())
                        .contains("api/port is down");
                Thread.sleep(2_000);
            }
            try (TestServer again = new TestServer(config)) {
                Thread.sleep(2_000);
                assertThat(again.json("/api/v1/incidents").path("incidents"))
                        .as("still one incident")
                        .hasSize(1);
            }
            assertThat(receiver.count("incident.triggered"))
                    .as("paged exactly once")
                    .isEqualTo(1);
        }
    }

    /** As the alert engine names a check's own alert: the first 16 hex digits of SHA-256 over "check\n" + id. */
    private static String checkFingerprint(String checkId) throws Exception {
        byte[] digest =
                MessageDigest.getInstance("SHA-256").digest(("check\n" + checkId).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
