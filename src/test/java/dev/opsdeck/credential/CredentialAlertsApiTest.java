package dev.opsdeck.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's alerts are alerts like a rule's: on a real server, an overdue credential, a credential whose file
 * is gone and a certificate 10 days from expiry are listed by {@code GET /api/v1/alerts} while they fire, each dated
 * when it began, and no longer once the file is back and the certificate renewed.
 */
class CredentialAlertsApiTest {
    @TempDir
    Path dir;

    @Test
    void overdueCredentialsMissingSourcesAndExpiringCertificatesAreListedWhileTheyFire() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued ca = TestPki.root("Alerts CA", now.minus(Duration.ofDays(400)), now.plus(Duration.ofDays(900)));
        Path pem = TestPki.writePem(
                dir.resolve("certs/site.pem"), leaf(ca, now, 10).certificate());
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%1$s/data" }
                credentials:
                  grafana-admin: { owner: ops, purpose: Grafana admin, rotate_every: 30d, last_rotated: %2$s }
                  webhook-secret: { owner: platform, purpose: webhook signing, source: "file:%1$s/webhook", rotate_every: 90d }
                certificates:
                  sources:
                    site: { file: "%3$s" }
                """.formatted(
                        dir, LocalDate.now(ZoneOffset.UTC).minusDays(60), pem));
        try (TestServer server = new TestServer(config)) {
            long before = System.currentTimeMillis();
            assertThat(server.send("POST", "/api/v1/credentials/refresh", null).statusCode())
                    .isEqualTo(200);
            assertThat(server.send("POST", "/api/v1/certificates/refresh", null).statusCode())
                    .isEqualTo(200);
            TestServer.awaitHttp(() -> byFingerprint(server).size() == 3, "three inventory alerts");
            Map<String, JsonNode> alerts = byFingerprint(server);

            JsonNode overdue = alerts.get("credential/grafana-admin/overdue");
            assertThat(overdue.path("name").asText()).isEqualTo("CredentialOverdue");
            assertThat(overdue.path("state").asText()).isEqualTo("firing");
            assertThat(overdue.path("summary").asText()).startsWith("credential grafana-admin is overdue for rotation");
            assertThat(overdue.path("labels").path("credential").asText()).isEqualTo("grafana-admin");

            JsonNode missing = alerts.get("credential/webhook-secret/source");
            assertThat(missing.path("name").asText()).isEqualTo("CredentialSourceMissing");
            assertThat(missing.path("summary").asText()).contains("webhook");

            JsonNode expiring = alerts.get(alerts.keySet().stream()
                    .filter(f -> f.startsWith("certificate/site|"))
                    .findFirst()
                    .orElseThrow());
            assertThat(expiring.path("name").asText()).isEqualTo("CertificateExpiring");
            assertThat(expiring.path("severity").asText())
                    .as("the 14-day threshold, one above P3")
                    .isEqualTo("P2");
            assertThat(expiring.path("summary").asText())
                    .contains("CN=site.example")
                    .contains("threshold 14 days");

            // each is dated when it began, and another refresh neither repeats nor re-dates it
            Map<String, String> since = new HashMap<>();
            alerts.forEach((f, a) -> since.put(f, a.path("since").asText()));
            since.values()
                    .forEach(s -> assertThat(Instant.parse(s).toEpochMilli())
                            .isBetween(before - 61_000, System.currentTimeMillis()));
            server.send("POST", "/api/v1/credentials/refresh", null);
            server.send("POST", "/api/v1/certificates/refresh", null);
            byFingerprint(server)
                    .forEach(
                            (f, a) -> assertThat(a.path("since").asText()).as(f).isEqualTo(since.get(f)));

            Files.writeString(dir.resolve("webhook"), "whsec-0123456789\n");
            TestPki.writePem(pem, leaf(ca, now, 200).certificate());
            server.send("POST", "/api/v1/credentials/refresh", null);
            server.send("POST", "/api/v1/certificates/refresh", null);
            assertThat(byFingerprint(server).keySet())
                    .as("the file is back and the certificate renewed; the manual credential is still overdue")
                    .containsExactly("credential/grafana-admin/overdue");
            assertThat(server.get("/api/v1/alerts").body()).doesNotContain("whsec-0123456789");
        }
    }

    private static Map<String, JsonNode> byFingerprint(TestServer server) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : server.json("/api/v1/alerts?state=firing").path("alerts")) {
            out.put(a.path("fingerprint").asText(), a);
        }
        return out;
    }

    private static TestPki.Issued leaf(TestPki.Issued ca, Instant now, int daysLeft) throws Exception {
        return TestPki.issue(
                ca,
                "site.example",
                now.minus(Duration.ofDays(30)),
                now.plus(Duration.ofDays(daysLeft)).plus(Duration.ofHours(1)),
                false,
                List.of("site.example"));
    }
}
