package dev.opsdeck.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The detail of a problem Jetty answers itself: its reason when useful, never internals, never unbounded. */
class JettyProblemsTest {
    @Test
    void tellsJettysReasonOnlyWhenItSaysMoreThanTheStatus() {
        assertThat(JettyProblems.detail(400, "Bad Request", "Bad UTF-8 encoding"))
                .isEqualTo("the request is malformed: Bad UTF-8 encoding");
        assertThat(JettyProblems.detail(400, "Bad Request", "Bad Request")).isEqualTo("the request is malformed");
        assertThat(JettyProblems.detail(400, "Bad Request", null)).isEqualTo("the request is malformed");
        assertThat(JettyProblems.detail(431, "Request Header Fields Too Large", "Request Header Fields Too Large"))
                .isEqualTo("the request headers are larger than the server accepts");
        assertThat(JettyProblems.detail(400, "Bad Request", "x".repeat(5_000)))
                .hasSize("the request is malformed: ".length() + JettyProblems.MAX_INSTANCE + 1)
                .endsWith("x…");
    }

    @Test
    void aServerErrorNamesNoInternals() {
        assertThat(JettyProblems.detail(500, "Server Error", "java.lang.IllegalStateException: pool at /var/x"))
                .isEqualTo("the server failed to answer; see its log");
        assertThat(JettyProblems.detail(503, "Service Unavailable", "stopping"))
                .isEqualTo("the server failed to answer; see its log");
        assertThat(JettyProblems.detail(400, "Bad Request", "org.example.SomeException: at line 3"))
                .isEqualTo("the request is malformed");
    }
}
