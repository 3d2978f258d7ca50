package dev.opsdeck.network;

import static dev.opsdeck.network.GuardedApp.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.NetworkConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subnets, forwarded addresses, rate limits and body size, over real HTTP on loopback. */
class NetworkGuardTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void admitsAListedSourceAndRefusesOthersWithAProblem() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of("127.0.0.1"), List.of(), List.of(), "600/1m"))) {
            HttpResponse<String> ok = app.get("/whoami");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("127.0.0.1");
        }
        try (GuardedApp app = new GuardedApp(config(List.of("10.0.0.0/8"), List.of(), List.of(), "600/1m"))) {
            HttpResponse<String> refused = app.get("/whoami");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM));
            assertThat(refused.body())
                    .isEqualTo(
                            "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                                    + "\"detail\":\"requests from 127.0.0.1 are not allowed (network.allowed_subnets)\",\"instance\":\"/whoami\"}");
            assertThat(app.get("/health").statusCode())
                    .as("health is exempt from rate limits, not from the subnet filter")
                    .isEqualTo(403);
        }
    }

    @Test
    void ignoresForwardedForFromAnUntrustedPeer() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(), "600/1m"))) {
            assertThat(app.get("/whoami", "X-Forwarded-For", "10.1.2.3").body()).isEqualTo("127.0.0.1");
        }
        try (GuardedApp app =
                new GuardedApp(config(List.of("10.0.0.0/8"), List.of("192.168.0.0/16"), List.of(), "600/1m"))) {
            assertThat(app.get("/whoami", "X-Forwarded-For", "10.1.2.3").statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void believesForwardedForFromATrustedProxy() throws Exception {
        try (GuardedApp app =
                new GuardedApp(config(List.of("10.0.0.0/8"), List.of("127.0.0.1"), List.of(), "600/1m"))) {
            HttpResponse<String> admitted = app.get("/whoami", "X-Forwarded-For", "10.1.2.3");
            assertThat(admitted.statusCode()).isEqualTo(200);
            assertThat(admitted.body()).isEqualTo("10.1.2.3");
            // the client wrote 192.168.1.1 itself; the trusted proxy appended what it saw, so it is not believed
            assertThat(app.get("/whoami", "X-Forwarded-For", "192.168.1.1, 10.1.2.3, 127.0.0.1")
                            .body())
                    .isEqualTo("10.1.2.3");
            assertThat(app.raw(
                            "GET /whoami HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.9.9.9\r\nX-Forwarded-For: 10.1.2.3\r\n"
                                    + "Connection: close\r\n\r\n"))
                    .endsWith("\r\n\r\n10.1.2.3");
            // a malformed hop stops the walk at the last trusted one: the proxy itself, not in 10/8
            assertThat(app.get("/whoami", "X-Forwarded-For", "10.1.2.3, evil.example")
                            .statusCode())
                    .isEqualTo(403);
        }
        try (GuardedApp app =
                new GuardedApp(config(List.of("192.168.0.0/16"), List.of("127.0.0.1"), List.of(), "600/1m"))) {
            assertThat(app.get("/whoami", "X-Forwarded-For", "10.1.2.3").statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void limitsRequestsPerSourceWithRetryAfterButNeverHealthProbes() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(), "5/1m"))) {
            for (int i = 0; i < 5; i++) {
                assertThat(app.get("/whoami").statusCode())
                        .as("request %d", i + 1)
                        .isEqualTo(200);
            }
            HttpResponse<String> limited = app.get("/whoami");
            assertThat(limited.statusCode()).isEqualTo(429);
            // one request comes back every 60s / 5 = 12s
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 12L));
            assertThat(limited.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM));
            assertThat(limited.body()).contains("\"status\":429", "\"title\":\"Too Many Requests\"", "retry in ");
            assertThat(app.get("/health").statusCode()).isEqualTo(200);
            assertThat(app.get("/ready").statusCode())
                    .as("exempt, then 404 from routing")
                    .isEqualTo(404);
        }
    }

    @Test
    void limitsEachApiKeySeparately() throws Exception {
        NetworkConfig c = new NetworkConfig(
                List.of(),
                List.of(),
                List.of(),
                NetworkConfig.DEFAULTS.perSource(),
                new NetworkConfig.Rate(3, Duration.ofMinutes(1)),
                10_000);
        try (GuardedApp app = new GuardedApp(c)) {
            assertThat(List.of(
                            app.guard.tryConsumeKey("a"),
                            app.guard.tryConsumeKey("a"),
                            app.guard.tryConsumeKey("a"),
                            app.guard.tryConsumeKey("a")))
                    .containsExactly(true, true, true, false);
            assertThat(app.guard.tryConsumeKey("b")).isTrue();
            assertThat(app.get("/keyed", "X-Key", "b").body()).isEqualTo("key ok");
            assertThat(app.get("/keyed", "X-Key", "b").statusCode()).isEqualTo(200);
            HttpResponse<String> limited = app.get("/keyed", "X-Key", "b");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 20L));
        }
    }

    @Test
    void refusesABodyOverTheLimitBeforeReadingIt() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(), "600/1m"))) {
            String answer =
                    app.raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\nConnection: close\r\n\r\n");
            assertThat(answer)
                    .startsWith("HTTP/1.1 413 ")
                    .contains("Content-Type: " + PROBLEM)
                    .contains("the request body is 20000 bytes; the limit is 10000 (network.max_request_body)");
            String small =
                    app.raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
            assertThat(small).startsWith("HTTP/1.1 200 ").endsWith("read 5 bytes");
            // no Content-Length: Javalin's own cap stops the read
            String chunk = "x".repeat(8_000);
            String chunked =
                    app.raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                            + ("1f40\r\n" + chunk + "\r\n").repeat(2) + "0\r\n\r\n");
            assertThat(chunked).startsWith("HTTP/1.1 413 ");
        }
    }
}
