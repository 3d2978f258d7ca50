package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpCheckTest {
    static TestServer http;
    static TestServer https;
    static TestServer expired;
    static TestServer wrongHost;

    @BeforeAll
    static void start() throws Exception {
        http = TestServer.http();
        https = TestServer.https(TestCerts.serverContext("valid"));
        expired = TestServer.https(TestCerts.serverContext("expired"));
        wrongHost = TestServer.https(TestCerts.serverContext("wronghost"));
    }

    @AfterAll
    static void stop() {
        http.close();
        https.close();
        expired.close();
        wrongHost.close();
    }

    @Test
    void healthyJsonEndpointPasses() {
        CheckResult r = run("""
                type: http
                url: %s
                conditions:
                  - "[STATUS] == 200"
                  - "[BODY].status == healthy"
                  - "len([BODY].items) == 3"
                  - "[BODY].items[0] == 1"
                  - "[HEADERS].x-served-by == test"
                  - "[RESPONSE_TIME] < 2s"
                """.formatted(http.url("/ok")));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.message()).isEqualTo("6/6 conditions hold");
        assertThat(r.values()).containsEntry("STATUS", 200L).containsEntry("CONNECTED", true);
    }

    @Test
    void defaultConditionIsStatusBelow400() {
        CheckResult r = run("type: http\nurl: " + http.url("/fail"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[STATUS]: expected < 400, got 503");
    }

    @Test
    void failedJsonConditionSaysWhatItGot() {
        CheckResult r = run("""
                type: http
                url: %s
                conditions: ["[BODY].status == healthy"]
                """.formatted(http.url("/degraded")));
        assertThat(r.message()).isEqualTo("[BODY].status: expected healthy, got \"degraded\"");
    }

    @Test
    void jsonPathOnHtmlBodySaysBodyIsNotJson() {
        CheckResult r = run("""
                type: http
                url: %s
                conditions: ["[BODY].status == healthy"]
                """.formatted(http.url("/html")));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[BODY].status: body is not JSON");
    }

    @Test
    void sendsMethodBodyAndHeaders() throws Exception {
        Observation o = observe("""
                type: http
                url: %s
                method: post
                body: '{"ping":1}'
                headers: {X-Probe: opsdeck}
                """.formatted(http.url("/echo")));
        assertThat(o.get("BODY")).isEqualTo("POST {\"ping\":1} opsdeck");
    }

    @Test
    void decodesTheDeclaredCharset() throws Exception {
        assertThat(observe("type: http\nurl: " + http.url("/latin1")).get("BODY"))
                .isEqualTo("caf\u00e9");
    }

    @Test
    void followsRedirectsAndCountsThem() throws Exception {
        Observation o = observe("type: http\nurl: " + http.url("/moved"));
        assertThat(o.get("STATUS")).isEqualTo(200L);
        assertThat(o.get("REDIRECTS")).isEqualTo(1L);
        // 303 turns a POST into a GET without body
        Observation see = observe("type: http\nmethod: POST\nbody: x\nurl: " + http.url("/see-other"));
        assertThat(see.get("BODY")).isEqualTo("GET  null");
    }

    @Test
    void redirectsAreNotFollowedWhenDisabled() throws Exception {
        Observation o = observe("type: http\nfollow_redirects: false\nurl: " + http.url("/moved"));
        assertThat(o.get("STATUS")).isEqualTo(301L);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) o.get("HEADERS");
        assertThat(headers).containsEntry("location", "/ok");
    }

    @Test
    void redirectLoopIsReported() {
        CheckResult r = run("type: http\nurl: " + http.url("/loop-a"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("redirect loop at " + http.url("/loop-a"));
    }

    @Test
    void endlessRedirectChainStopsAtTheLimit() {
        CheckResult r = run("type: http\nmax_redirects: 3\nurl: " + http.url("/chain/0"));
        assertThat(r.message()).isEqualTo("too many redirects (3)");
    }

    @Test
    void hugeBodyIsCutAtMaxBodyAndFinishesFast() throws Exception {
        long start = System.nanoTime();
        Observation o = observe("type: http\nmax_body: 100KB\ntimeout: 5s\nurl: " + http.url("/big"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(o.failure()).isNull();
        assertThat(((String) o.get("BODY")).length()).isEqualTo(100_000);
        assertThat(o.get("BODY_TRUNCATED")).isEqualTo(true);
    }

    @Test
    void defaultMaxBodyIsOneMegabyte() {
        CheckResult r = run("""
                type: http
                url: %s
                conditions: ["len([BODY]) == 1000000", "[BODY_TRUNCATED] == true"]
                """.formatted(http.url("/big")));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void silentTargetEndsAtTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            long start = System.nanoTime();
            CheckResult r = run("type: http\ntimeout: 1s\nurl: http://127.0.0.1:" + silent.port() + "/");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("timed out after 1s");
            assertThat(ms).isBetween(900L, 2500L);
        }
    }

    @Test
    void bodyThatStallsEndsAtTheTimeout() {
        long start = System.nanoTime();
        CheckResult r = run("type: http\ntimeout: 1s\nurl: " + http.url("/stall"));
        assertThat(r.message()).isEqualTo("timed out after 1s");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 2500L);
    }

    @Test
    void connectionRefused() {
        CheckResult r = run("type: http\ntimeout: 2s\nurl: http://127.0.0.1:" + TestChecks.freePort() + "/");
        assertThat(r.message()).isEqualTo("connection refused");
    }

    @Test
    void dnsFailure() {
        CheckResult r = run("type: http\ntimeout: 2s\nurl: http://no-such-host.invalid/health");
        assertThat(r.message()).isEqualTo("DNS lookup failed for no-such-host.invalid");
    }

    @Test
    void httpsWithTrustedChainIsRequiredByDefault() {
        CheckResult r = run("type: http\ntimeout: 2s\nurl: " + https.url("/ok"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("TLS handshake failed: certificate not trusted (self-signed or unknown CA)");
    }

    @Test
    void insecureReadsSelfSignedAndMeasuresExpiry() throws Exception {
        Observation o = observe("type: http\ninsecure: true\nurl: " + https.url("/ok"));
        assertThat(o.get("STATUS")).isEqualTo(200L);
        Duration left = (Duration) o.get("CERTIFICATE_EXPIRATION");
        assertThat(left).isBetween(Duration.ofDays(28), Duration.ofDays(30)); // certificates are cached up to a day
        // insecure also means: whatever name the certificate was issued for
        assertThat(observe("type: http\ninsecure: true\nurl: " + wrongHost.url("/ok"))
                        .get("STATUS"))
                .isEqualTo(200L);
    }

    @Test
    void expiredCertificateFailsTheExpiryCondition() {
        CheckResult r = run("""
                type: http
                insecure: true
                url: %s
                conditions: ["[CERTIFICATE_EXPIRATION] > 7d"]
                """.formatted(expired.url("/ok")));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).startsWith("[CERTIFICATE_EXPIRATION]: expected > 7d, got -");
        assertThat(run("type: http\ntimeout: 2s\nurl: " + expired.url("/ok")).message())
                .startsWith("TLS handshake failed: ");
    }

    @Test
    void tlsHandshakeFailures() throws Exception {
        try (SilentServer plain = new SilentServer(SilentServer.Mode.GARBAGE);
                SilentServer hangUp = new SilentServer(SilentServer.Mode.CLOSE)) {
            CheckResult r = run("type: http\ntimeout: 2s\nurl: https://127.0.0.1:" + plain.port() + "/");
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("TLS error: the server did not answer with TLS (plain-text port?)");
            assertThat(run("type: http\ntimeout: 2s\nurl: https://127.0.0.1:" + hangUp.port() + "/")
                            .message())
                    .isEqualTo("TLS handshake failed: server closed the connection");
        }
    }

    @Test
    void certificateExpirationIsNotMeasuredOverPlainHttp() {
        CheckResult r = run("""
                type: http
                url: %s
                conditions: ["[CERTIFICATE_EXPIRATION] > 7d"]
                """.formatted(http.url("/ok")));
        assertThat(r.message()).isEqualTo("[CERTIFICATE_EXPIRATION]: not measured");
    }

    @Test
    void probeCanRunRepeatedlyAndCloses() {
        try (CompiledCheck c = TestChecks.check("type: http\nurl: " + http.url("/ok"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.run().status()).isEqualTo(Status.UP);
            }
        }
    }

    @Test
    void configErrorsArePositioned() {
        assertThat(TestChecks.problems("type: http\nurll: http://x/"))
                .contains("file:6:9: services.x.checks.y: unknown key 'urll' (hint: did you mean 'url'?)")
                .contains("file:5:9: services.x.checks.y: missing required key 'url'");
        assertThat(TestChecks.problems("type: http\nurl: ftp://x/"))
                .containsExactly(
                        "file:6:14: services.x.checks.y.url: not an http(s) URL (hint: write e.g. https://example.com/health)");
        assertThat(TestChecks.problems("type: http\nurl: http://x/\nmax_body: lots"))
                .singleElement()
                .asString()
                .startsWith("file:7:19: services.x.checks.y.max_body: bad size");
        assertThat(TestChecks.problems("type: http\nurl: http://x/\nheaders: {Host: y}"))
                .singleElement()
                .asString()
                .contains("services.x.checks.y.headers.Host: this header is set by the HTTP client");
        assertThat(TestChecks.problems("type: http\nurl: http://x/\nheaders: {\"a b\": y}"))
                .singleElement()
                .asString()
                .endsWith("services.x.checks.y.headers.a b: not a valid header");
        assertThat(TestChecks.problems("type: http\nurl: http://x/\nconditions: [\"[STAUTS] == 200\"]"))
                .singleElement()
                .asString()
                .startsWith("file:7:22: bad condition: unknown placeholder [STAUTS]");
        assertThat(TestChecks.problems("type: htp\nurl: http://x/"))
                .singleElement()
                .asString()
                .endsWith("unknown check type \"htp\" (hint: did you mean 'http'?)");
    }
}
