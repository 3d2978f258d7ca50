package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.monitor.TcpTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests Jetty refuses itself, before any route runs (malformed URIs, oversized request lines and headers, bad
 * framing), are answered with the same RFC 9457 problem document as every other error: over a raw socket, so the
 * bytes are exactly what a hostile or broken client sends.
 */
class HttpErrorsTest {
    private static final String PROBLEM = "application/problem+json";

    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: data, port: 0 }
                network: { max_request_body: 1KB }
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1s }
                """.formatted(TcpTarget.closedPort()));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void aPathThatIsNotUtf8IsABadRequestProblem() throws Exception {
        JsonNode body = problem(raw(get("/api/v1/runs/%ff%fe")), 400);
        assertThat(body.path("title").asText()).isEqualTo("Bad Request");
        assertThat(body.path("detail").asText()).isEqualTo("the request is malformed: Bad UTF-8 encoding");
        assertThat(body.path("instance").asText()).isEqualTo("/api/v1/runs/%ff%fe");
    }

    @Test
    void ambiguousAndTraversingPathsAreProblems() throws Exception {
        JsonNode dots = problem(raw(get("/assets/%2e%2e/%2e%2e/etc/passwd")), 400);
        assertThat(dots.path("detail").asText()).isEqualTo("the request is malformed");
        assertThat(dots.path("instance").asText())
                .as("Jetty's placeholder for a path it refused is not shown")
                .isEmpty();
        problem(raw(get("/api/v1/services/a%00b")), 400);
        JsonNode asset = problem(raw(get("/assets/..%2f..")), 404);
        assertThat(asset.path("detail").asText()).isEqualTo("no such asset: ../..");
    }

    @Test
    void aRequestLineTooLongIs414() throws Exception {
        JsonNode body = problem(raw(get("/api/v1/services/" + "a".repeat(20_000))), 414);
        assertThat(body.path("title").asText()).isEqualTo("URI Too Long");
        assertThat(body.path("detail").asText()).isEqualTo("the request line is longer than the server accepts");
        assertThat(body.path("instance").asText()).as("the path is not echoed").isEmpty();
    }

    @Test
    void aLongPathIsCutInTheInstance() throws Exception {
        String path = "/api/v1/nothing/" + "a".repeat(7_000);
        JsonNode body = problem(raw(get(path)), 404);
        assertThat(body.path("instance").asText()).isEqualTo(path.substring(0, 200) + "…");
    }

    @Test
    void headersTooLargeAre431() throws Exception {
        JsonNode body = problem(
                raw("GET /api/v1/services HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                        + "\r\nConnection: close\r\n\r\n"),
                431);
        assertThat(body.path("title").asText()).isEqualTo("Request Header Fields Too Large");
        assertThat(body.path("detail").asText()).isEqualTo("the request headers are larger than the server accepts");
    }

    @Test
    void badContentLengthsAreBadRequestProblems() throws Exception {
        JsonNode word = problem(
                raw("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n" + "Connection: close\r\n\r\n"),
                400);
        assertThat(word.path("detail").asText()).isEqualTo("the request is malformed: Invalid Content-Length Value");
        JsonNode two = problem(
                raw("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
                        + "Connection: close\r\n\r\nhello"),
                400);
        assertThat(two.path("detail").asText()).isEqualTo("the request is malformed: Multiple Content-Lengths");
        problem(raw("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutAContentLength() throws Exception {
        JsonNode declared = problem(
                raw("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n" + "Connection: close\r\n\r\n"
                        + "x".repeat(1001)),
                413);
        assertThat(declared.path("detail").asText())
                .isEqualTo("the request body is 1001 bytes; the limit is 1000 (network.max_request_body)");
        String chunk = "x".repeat(800);
        JsonNode chunked = problem(
                raw("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.token
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + ("320\r\n" + chunk + "\r\n").repeat(2) + "0\r\n\r\n"),
                413);
        assertThat(chunked.path("detail").asText())
                .isEqualTo("the request body is larger than network.max_request_body allows");
    }

    @Test
    void theProblemDoesNotDependOnTheMethodOrTheAcceptHeader() throws Exception {
        // Jetty's own error page is HTML for browsers and has no body at all for a PUT or a DELETE
        problem(raw("PUT /api/v1/runs/%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
        problem(
                raw("GET /api/v1/runs/%ff%fe HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n"),
                400);
        problem(
                raw("GET /api/v1/runs/%ff%fe HTTP/1.1\r\nHost: x\r\nAccept: image/png\r\nConnection: close\r\n\r\n"),
                400);
    }

    @Test
    void theJdkClientReadsTheSameProblem() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runs/%ff%fe"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM));
        assertThat(TestServer.JSON.readTree(r.body()).path("status").asInt()).isEqualTo(400);
        assertThat(r.headers().firstValue("X-Content-Type-Options"))
                .as("still hardened")
                .hasValue("nosniff");
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    /** The answer's status and Content-Type, and its body as a problem document with the same status. */
    private static JsonNode problem(Answer a, int status) throws IOException {
        assertThat(a.status).as(a.toString()).isEqualTo(status);
        assertThat(a.headers.getOrDefault("content-type", "")).as(a.toString()).startsWith(PROBLEM);
        JsonNode body = TestServer.JSON.readTree(a.body);
        assertThat(body.path("type").asText()).as(a.toString()).isEqualTo("about:blank");
        assertThat(body.path("status").asInt()).as(a.toString()).isEqualTo(status);
        assertThat(body.path("title").asText()).as(a.toString()).isNotBlank();
        assertThat(body.path("detail").asText()).as(a.toString()).isNotBlank();
        assertThat(body.has("instance")).as(a.toString()).isTrue();
        return body;
    }

    private record Answer(int status, Map<String, String> headers, String body) {}

    private static Answer raw(String request) throws IOException {
        String all;
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int end = all.indexOf("\r\n\r\n");
        assertThat(end).as("a complete HTTP answer: " + all).isPositive();
        String[] lines = all.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(end + 4));
    }
}
