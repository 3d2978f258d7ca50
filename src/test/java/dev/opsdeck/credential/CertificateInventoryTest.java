package dev.opsdeck.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateInventoryTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);
    private TestPki.Issued root;
    private TestPki.Issued intermediate;
    private TestPki.Issued expiredIntermediate;
    private TestPki.Issued leaf;
    private TlsServer server;
    private InventoryFixture fx;
    private CertificateInventory inventory;

    @BeforeEach
    void setUp() throws Exception {
        root = TestPki.root("Test Root", NOW.minus(days(400)), NOW.plus(days(3650)));
        intermediate =
                TestPki.issue(root, "Test Intermediate", NOW.minus(days(10)), NOW.plus(days(1000)), true, List.of());
        expiredIntermediate =
                TestPki.issue(root, "Old Intermediate", NOW.minus(days(400)), NOW.minus(days(35)), true, List.of());
        leaf = TestPki.issue(
                intermediate,
                "api.example.test",
                NOW.minus(days(60)),
                NOW.plus(days(20)).plusSeconds(3600),
                false,
                List.of("api.example.test", "localhost"));
        TestPki.Issued stale = TestPki.issue(
                expiredIntermediate,
                "legacy.example.test",
                NOW.minus(days(50)),
                NOW.plus(days(200)),
                false,
                List.of("legacy.example.test"));
        TestPki.writePem(dir.resolve("certs/api.pem"), leaf.certificate(), intermediate.certificate());
        TestPki.writePem(dir.resolve("certs/legacy.pem"), stale.certificate(), expiredIntermediate.certificate());
        TestPki.writePem(
                dir.resolve("bundle/one.crt"),
                TestPki.issue(root, "one.example.test", NOW.minus(days(1)), NOW.plus(days(300)), false, List.of())
                        .certificate());
        TestPki.writePem(
                dir.resolve("bundle/sub/two.pem"),
                TestPki.issue(root, "two.example.test", NOW.minus(days(1)), NOW.plus(days(5)), false, List.of())
                        .certificate());
        Files.writeString(
                dir.resolve("bundle/privkey.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        TestPki.keystore(dir.resolve("server.p12"), "PKCS12", "p12-pass", "server", leaf, intermediate.certificate());
        TestPki.keystore(
                dir.resolve("legacy.jks"), "JKS", "jks-pass", "legacy", stale, expiredIntermediate.certificate());
        server = new TlsServer(dir.resolve("server.p12"), "p12-pass");
        fx = new InventoryFixture(dir, config(""));
        inventory = new CertificateInventory(fx.store, () -> fx.config, fx.sink, new InventoryMetrics(null), clock);
    }

    private String config(String extra) {
        return """
                services:
                  web:
                    checks:
                      tls:
                        type: tls
                        host: 127.0.0.1
                        port: %d
                        server_name: localhost
                certificates:
                  refresh_every: 12h
                  sources:
                    api-file:
                      file: certs/api.pem
                    legacy-file:
                      file: certs/legacy.pem
                    bundle:
                      dir: bundle
                      thresholds: [7]
                    p12:
                      keystore: server.p12
                      password: p12-pass
                    jks:
                      keystore: legacy.jks
                      password: jks-pass
                    p12-wrong:
                      keystore: server.p12
                      password: not-the-password
                    jks-wrong:
                      keystore: legacy.jks
                      password: not-the-password
                    endpoint:
                      url: https://localhost:%d
                    closed:
                      tcp: 127.0.0.1:1
                %s""".formatted(server.port(), server.port(), extra);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        fx.close();
    }

    private static Duration days(long n) {
        return Duration.ofDays(n);
    }

    private List<Certificate> of(String source) {
        return inventory.list().stream()
                .filter(c -> c.source().equals(source))
                .sorted(java.util.Comparator.comparing(Certificate::id))
                .toList();
    }

    @Test
    void readsEverySourceWithSubjectSansIssuerExpiryAndWhereItIsUsed() {
        inventory.refresh();
        List<Certificate> api = of("api-file");
        assertThat(api).extracting(Certificate::role).containsExactly("leaf", "intermediate");
        Certificate c = api.getFirst();
        assertThat(c.subject()).isEqualTo("CN=api.example.test");
        assertThat(c.sans()).containsExactly("api.example.test", "localhost");
        assertThat(c.issuer()).isEqualTo("CN=Test Intermediate");
        assertThat(c.serial()).isEqualTo(leaf.certificate().getSerialNumber().toString(16));
        assertThat(c.daysLeft()).isEqualTo(20);
        assertThat(c.state()).isEqualTo(Certificate.EXPIRING);
        assertThat(c.usedBy()).isEqualTo(dir.resolve("certs/api.pem").toString());
        assertThat(c.problems()).isEmpty();

        assertThat(of("bundle"))
                .extracting(Certificate::usedBy)
                .containsExactly(
                        dir.resolve("bundle") + " (one.crt)", dir.resolve("bundle") + " (sub/two.pem)"); // key skipped
        assertThat(of("p12"))
                .extracting(Certificate::subject)
                .containsExactly("CN=api.example.test", "CN=Test Intermediate");
        assertThat(of("jks"))
                .extracting(Certificate::subject)
                .containsExactly("CN=legacy.example.test", "CN=Old Intermediate");

        assertThat(of("endpoint")).first().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("CN=api.example.test");
            assertThat(e.usedBy()).isEqualTo("localhost:" + server.port());
        });
        assertThat(of("check:web/tls"))
                .first()
                .satisfies(e -> assertThat(e.usedBy()).isEqualTo("check web/tls, 127.0.0.1:" + server.port()));
        assertThat(server.serverNames).contains("localhost"); // SNI sent for url: and for the check's server_name
    }

    @Test
    void aWrongKeystorePasswordAndAClosedPortAreExactErrorsListedFirst() {
        inventory.refresh();
        assertThat(of("p12-wrong")).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(Certificate.ERROR);
            assertThat(c.error()).isEqualTo("keystore " + dir.resolve("server.p12") + ": wrong password");
        });
        assertThat(of("jks-wrong"))
                .singleElement()
                .satisfies(c ->
                        assertThat(c.error()).isEqualTo("keystore " + dir.resolve("legacy.jks") + ": wrong password"));
        assertThat(of("closed"))
                .singleElement()
                .satisfies(c ->
                        assertThat(c.error()).startsWith("TLS handshake with 127.0.0.1:1 failed: Connection refused"));
        assertThat(inventory.list().subList(0, 3))
                .allSatisfy(c -> assertThat(c.state()).isEqualTo(Certificate.ERROR));
        assertThat(fx.named("CertificateUnreadable")).hasSize(3);
    }

    @Test
    void anExpiredIntermediateIsItsOwnFindingAndAProblemOfItsLeaf() {
        inventory.refresh();
        List<Certificate> legacy = of("legacy-file");
        assertThat(legacy.getFirst().role()).isEqualTo("leaf");
        assertThat(legacy.getFirst().state()).isEqualTo(Certificate.OK);
        assertThat(legacy.getFirst().problems())
                .containsExactly("intermediate Old Intermediate expired on "
                        + expiredIntermediate.certificate().getNotAfter().toInstant());
        assertThat(legacy.get(1).state()).isEqualTo(Certificate.EXPIRED);
        assertThat(fx.events)
                .filteredOn(e -> e.fingerprint().equals("certificate/legacy-file|#1"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.severity()).isEqualTo(AlertEvent.Severity.P1);
                    assertThat(e.summary()).contains("CN=Old Intermediate").contains("expired on");
                });
    }

    @Test
    void eachThresholdAlertsOnceEvenAcrossRestartsAndRenewalResolves() throws Exception {
        for (int i = 0; i < 3; i++) inventory.refresh();
        String id = "certificate/api-file|#0";
        assertThat(fx.events)
                .filteredOn(e -> e.fingerprint().equals(id))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
                    assertThat(e.severity()).isEqualTo(AlertEvent.Severity.P3);
                    assertThat(e.summary()).contains("expires in 20 days").contains("threshold 30 days");
                });
        // per-source thresholds: the bundle alerts at 7 days only, so two.pem (5 days) fires and one.crt does not
        assertThat(fx.events)
                .filteredOn(e -> e.fingerprint().startsWith("certificate/bundle|"))
                .extracting(e -> e.labels().get("certificate"))
                .containsExactly("bundle|sub/two.pem#0");
        // a restart: a new inventory on the same store alerts nothing again
        inventory = new CertificateInventory(fx.store, () -> fx.config, fx.sink, new InventoryMetrics(null), clock);
        inventory.refresh();
        assertThat(fx.events).filteredOn(e -> e.fingerprint().equals(id)).hasSize(1);

        clock.advance(days(7)); // 13 days left: crosses 14, escalates once
        inventory.refresh();
        inventory.refresh();
        assertThat(fx.events)
                .filteredOn(e -> e.fingerprint().equals(id))
                .extracting(AlertEvent::severity)
                .containsExactly(AlertEvent.Severity.P3, AlertEvent.Severity.P2);

        TestPki.Issued renewed = TestPki.issue(
                intermediate, "api.example.test", NOW, NOW.plus(days(90)), false, List.of("api.example.test"));
        TestPki.writePem(dir.resolve("certs/api.pem"), renewed.certificate(), intermediate.certificate());
        inventory.refresh();
        assertThat(fx.events)
                .filteredOn(e -> e.fingerprint().equals(id))
                .extracting(AlertEvent::state)
                .containsExactly(AlertEvent.State.FIRING, AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
        assertThat(of("api-file").getFirst().state()).isEqualTo(Certificate.OK);
    }

    @Test
    void aRemovedFileResolvesItsAlertAndTheViewHoldsNoSecret() throws Exception {
        inventory.refresh();
        Files.delete(dir.resolve("bundle/sub/two.pem"));
        inventory.refresh();
        assertThat(fx.events)
                .filteredOn(e -> e.fingerprint().equals("certificate/bundle|sub/two.pem#0"))
                .extracting(AlertEvent::state)
                .containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
        String json = Json.MAPPER.writeValueAsString(
                inventory.list().stream().map(Certificate::view).toList());
        assertThat(json).doesNotContain("p12-pass").doesNotContain("jks-pass").doesNotContain("not-the-password");
    }
}
