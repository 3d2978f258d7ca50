package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.Status;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text that users and targets control comes back as text: a description and a probe message (from
 * the target's own reply) containing a script tag, a search query, and an unknown service name.
 */
@Tag("server")
class EscapingTest {
    static final String PAYLOAD = "<script>alert(1)</script>";
    static final String ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

    @TempDir
    static Path dir;

    static LocalTarget hostile;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        hostile = LocalTarget.replying(PAYLOAD);
        server = TestServer.start(dir, """
                  hostile:
                    description: "%s"
                    checks:
                      echo: { type: tcp, host: 127.0.0.1, port: %d, send: "hello", expect: pong, interval: 200ms, timeout: 1s }
                """.formatted(PAYLOAD, hostile.port()));
        TestServer.await(
                Duration.ofSeconds(5),
                "the hostile check fails",
                () -> server.server.engine().services().getFirst().status() == Status.DOWN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (hostile != null) hostile.close();
    }

    @Test
    void descriptionAndMessageAreEscapedOnTheOverview() throws Exception {
        String body = server.get("/").body();
        assertThat(server.server.engine().services().getFirst().message()).contains(PAYLOAD);
        assertThat(body).doesNotContain("<script>alert").contains(ESCAPED);
        // once in the description, once in the message
        assertThat(body.split(Pattern.quote(ESCAPED), -1)).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void descriptionAndMessageAreEscapedOnTheServicePage() throws Exception {
        String body = server.get("/services/hostile").body();
        assertThat(body).doesNotContain("<script>alert").contains(ESCAPED).contains("data-chart=\"history\"");
    }

    @Test
    void searchQueryIsEscapedInTheFormAndTheSummary() throws Exception {
        String body = server.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%20autofocus%20onfocus%3D%22alert(2)")
                .body();
        assertThat(body).doesNotContain("<script>alert").contains(ESCAPED);
        // in the attribute the quote is escaped too, so the value cannot end early and add an onfocus
        assertThat(body)
                .contains("name=\"q\" value=\"&lt;script>alert(1)&lt;/script>&#34; autofocus onfocus=&#34;alert(2)\"")
                .doesNotContain(" autofocus onfocus=\"alert(2)\"");
    }

    @Test
    void unknownServiceNameIsEscapedOnThe404Page() throws Exception {
        HttpResponse<String> response = server.get("/services/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(response.body())
                .contains("No service named")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .doesNotContain("<img src=x");
    }
}
