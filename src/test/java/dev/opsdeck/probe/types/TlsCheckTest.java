package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsCheckTest {
    static TestServer valid;
    static TestServer expired;
    static TestServer wrongHost;

    @BeforeAll
    static void start() throws Exception {
        valid = TestServer.https(TestCerts.serverContext("valid"));
        expired = TestServer.https(TestCerts.serverContext("expired"));
        wrongHost = TestServer.https(TestCerts.serverContext("wronghost"));
    }

    @AfterAll
    static void stop() {
        valid.close();
        expired.close();
        wrongHost.close();
    }

    private static String check(TestServer s, String extra) {
        return "type: tls\nhost: 127.0.0.1\ntimeout: 2s\nport: " + s.port() + "\n" + extra;
    }

    @Test
    void readsASelfSignedCertificate() throws Exception {
        Observation o = observe(check(valid, "server_name: localhost"));
        assertThat(o.failure()).isNull();
        assertThat(o.get("CONNECTED")).isEqualTo(true);
        assertThat(o.get("SUBJECT")).isEqualTo("CN=localhost");
        assertThat(o.get("ISSUER")).isEqualTo("CN=localhost");
        assertThat(o.get("HOSTNAME_VALID")).isEqualTo(true);
        assertThat(o.get("CHAIN_VALID")).isEqualTo(false);
        assertThat(o.get("CHAIN_ERROR")).isEqualTo("certificate not trusted (self-signed or unknown CA)");
        assertThat((long) o.get("DAYS_TO_EXPIRY")).isBetween(28L, 30L); // certificates are cached up to a day
        assertThat(o.get("PROTOCOL")).isEqualTo("TLSv1.3");
    }

    @Test
    void defaultConditionsRejectAnUntrustedChain() {
        CheckResult r = run(check(valid, "server_name: localhost"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[CHAIN_VALID]: expected true, got false");
        assertThat(r.values()).containsEntry("CHAIN_ERROR", "certificate not trusted (self-signed or unknown CA)");
    }

    @Test
    void expiringSoonIsDegradedNotDown() {
        CheckResult r = run(check(valid, """
                conditions: ["[HOSTNAME_VALID]"]
                degraded_when: ["[DAYS_TO_EXPIRY] < 60"]
                """));
        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).matches("degraded: \\[DAYS_TO_EXPIRY]: (28|29|30) < 60");
    }

    @Test
    void expiredCertificateIsReadAndJudged() throws Exception {
        Observation o = observe(check(expired, ""));
        assertThat(o.failure()).isNull();
        assertThat((long) o.get("DAYS_TO_EXPIRY")).isBetween(-30L, -28L);
        assertThat((Duration) o.get("CERTIFICATE_EXPIRATION")).isNegative();
        assertThat((String) o.get("CHAIN_ERROR")).startsWith("certificate expired on ");
        CheckResult r = run(check(expired, "server_name: localhost"));
        assertThat(r.message())
                .matches("\\[CHAIN_VALID]: expected true, got false; "
                        + "\\[DAYS_TO_EXPIRY]: expected >= 0, got -(29|30)");
    }

    @Test
    void hostnameMismatchIsDetected() throws Exception {
        Observation o = observe(check(wrongHost, ""));
        assertThat(o.get("HOSTNAME_VALID")).isEqualTo(false);
        assertThat(o.get("SUBJECT")).isEqualTo("CN=wrong.example");
        // the same certificate is fine for the name it was issued for
        assertThat(observe(check(wrongHost, "server_name: wrong.example")).get("HOSTNAME_VALID"))
                .isEqualTo(true);
        assertThat(observe(check(valid, "")).get("HOSTNAME_VALID")).as("IP SAN").isEqualTo(true);
    }

    @Test
    void chainIsValidWhenTheTrustStoreHasTheCertificate() throws Exception {
        X509Certificate cert = TestCerts.certificate("valid");
        String before = System.getProperty("javax.net.ssl.trustStore");
        String beforePass = System.getProperty("javax.net.ssl.trustStorePassword");
        System.setProperty(
                "javax.net.ssl.trustStore", TestCerts.keystore("valid").toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        try {
            assertThat(Certificates.chainProblem(new X509Certificate[] {cert}, Instant.now()))
                    .isNull();
        } finally {
            restore("javax.net.ssl.trustStore", before);
            restore("javax.net.ssl.trustStorePassword", beforePass);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void wildcardMatchesExactlyOneLeftMostLabel() throws Exception {
        X509Certificate wild = TestCerts.certificate("wildcard");
        assertThat(Certificates.hostnameMatches(wild, "api.example.com")).isTrue();
        assertThat(Certificates.hostnameMatches(wild, "API.Example.com.")).isTrue();
        assertThat(Certificates.hostnameMatches(wild, "example.com")).isFalse();
        assertThat(Certificates.hostnameMatches(wild, "a.b.example.com")).isFalse();
        assertThat(Certificates.hostnameMatches(wild, "wild"))
                .as("CN is ignored when SANs exist")
                .isFalse();
        X509Certificate local = TestCerts.certificate("valid");
        assertThat(Certificates.hostnameMatches(local, "127.0.0.1")).isTrue();
        assertThat(Certificates.hostnameMatches(local, "127.0.0.2")).isFalse();
        assertThat(Certificates.hostnameMatches(local, "sub.localhost")).isFalse();
    }

    @Test
    void handshakeFailures() throws Exception {
        try (SilentServer hangUp = new SilentServer(SilentServer.Mode.CLOSE);
                SilentServer plain = new SilentServer(SilentServer.Mode.GARBAGE);
                SilentServer silent = new SilentServer(SilentServer.Mode.HOLD)) {
            assertThat(run("type: tls\nhost: 127.0.0.1\nport: " + hangUp.port()).message())
                    .isEqualTo("TLS handshake failed: server closed the connection");
            assertThat(run("type: tls\nhost: 127.0.0.1\nport: " + plain.port()).message())
                    .isEqualTo("TLS error: the server did not answer with TLS (plain-text port?)");
            long start = System.nanoTime();
            assertThat(run("type: tls\nhost: 127.0.0.1\ntimeout: 1s\nport: " + silent.port())
                            .message())
                    .isEqualTo("timed out after 1s");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 2500L);
        }
    }

    @Test
    void unreachableTargets() {
        assertThat(run("type: tls\nhost: 127.0.0.1\nport: " + TestChecks.freePort())
                        .message())
                .isEqualTo("connection refused");
        assertThat(run("type: tls\nhost: no-such-host.invalid").message())
                .isEqualTo("DNS lookup failed for no-such-host.invalid");
    }

    @Test
    void configErrors() {
        assertThat(TestChecks.problems("type: tls\nport: 99999"))
                .contains("file:5:9: services.x.checks.y: missing required key 'host'")
                .anyMatch(p -> p.startsWith("file:6:15: services.x.checks.y.port: 99999 is out of range"));
    }
}
