package dev.opsdeck.network;

import static dev.opsdeck.network.GuardedApp.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS for listed origins only, and the hardening headers on every kind of response. */
class BrowserHeadersTest {
    private static final String ALLOWED = "https://status.example.com";

    @Test
    void givesAListedOriginCorsHeadersAndOthersNone() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(ALLOWED), "600/1m"))) {
            HttpHeaders allowed = app.get("/whoami", "Origin", ALLOWED).headers();
            assertThat(allowed.firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
            assertThat(allowed.allValues("Vary")).contains("Origin");
            assertThat(allowed.firstValue("Access-Control-Allow-Credentials")).isEmpty();

            HttpResponse<String> other = app.get("/whoami", "Origin", "https://evil.example");
            assertThat(other.statusCode())
                    .as("the browser, not the server, withholds the answer")
                    .isEqualTo(200);
            assertThat(other.headers().map().keySet())
                    .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        }
    }

    @Test
    void answersPreflightsFromListedOriginsOnlyEvenWithoutAnOptionsRoute() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(ALLOWED), "600/1m"))) {
            HttpResponse<String> ok = app.send(
                    "OPTIONS",
                    "/echo",
                    "Origin",
                    ALLOWED,
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "content-type");
            assertThat(ok.statusCode()).isEqualTo(204);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Methods"))
                    .hasValue("GET, POST, PUT, PATCH, DELETE");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Headers"))
                    .hasValue("Authorization, Content-Type, X-CSRF-Token");
            assertThat(ok.headers().firstValue("Access-Control-Max-Age")).hasValue("600");

            HttpResponse<String> refused = app.send(
                    "OPTIONS", "/echo", "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body())
                    .contains("cross-origin requests from https://evil.example are not allowed (network.cors_origins)");
            assertThat(refused.headers().map().keySet())
                    .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        }
    }

    @Test
    void hardensEveryResponseIncludingErrorsAndRefusals() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(), "2/1m"))) {
            for (String path : List.of("/whoami", "/no-such-page", "/boom", "/whoami")) {
                HttpResponse<String> r = app.get(path);
                assertHardened(path + " -> " + r.statusCode(), r.headers());
                assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("frame-ancestors 'none'");
                assertThat(r.headers().firstValue("Strict-Transport-Security"))
                        .as("plain HTTP")
                        .isEmpty();
            }
            assertThat(app.get("/whoami").statusCode()).isEqualTo(429);
        }
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of(), List.of(), "600/1m"))) {
            assertThat(app.get("/boom").statusCode()).isEqualTo(500);
            assertThat(app.get("/no-such-page").statusCode()).isEqualTo(404);
            HttpResponse<String> own = app.get("/own-csp");
            assertHardened("own CSP", own.headers());
            assertThat(own.headers().allValues("Content-Security-Policy"))
                    .as("a route's own policy is kept")
                    .containsExactly("default-src 'self'");
            // a bad request Jetty answers itself, before any handler
            assertThat(app.raw("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 400 ")
                    .contains("X-Content-Type-Options: nosniff");
        }
    }

    @Test
    void sendsHstsOnlyWhenTheRequestIsHttpsAsVouchedByATrustedProxy() throws Exception {
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of("127.0.0.1"), List.of(), "600/1m"))) {
            assertThat(app.get("/whoami", "X-Forwarded-Proto", "https")
                            .headers()
                            .firstValue("Strict-Transport-Security"))
                    .hasValue("max-age=31536000");
            assertThat(app.get("/no-such-page", "X-Forwarded-Proto", "https")
                            .headers()
                            .firstValue("Strict-Transport-Security"))
                    .hasValue("max-age=31536000");
            assertThat(app.get("/whoami", "X-Forwarded-Proto", "http")
                            .headers()
                            .firstValue("Strict-Transport-Security"))
                    .isEmpty();
        }
        try (GuardedApp app = new GuardedApp(config(List.of(), List.of("10.0.0.0/8"), List.of(), "600/1m"))) {
            assertThat(app.get("/whoami", "X-Forwarded-Proto", "https")
                            .headers()
                            .firstValue("Strict-Transport-Security"))
                    .as("forged by a client that is no proxy")
                    .isEmpty();
        }
    }

    static void assertHardened(String what, HttpHeaders h) {
        assertThat(h.firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(h.firstValue("Referrer-Policy")).as(what).hasValue("same-origin");
        assertThat(h.firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(h.firstValue("Cross-Origin-Opener-Policy")).as(what).hasValue("same-origin");
        assertThat(h.firstValue("Content-Security-Policy")).as(what).isPresent();
    }
}
