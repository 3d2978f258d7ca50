package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import dev.opsdeck.cli.Main;
import dev.opsdeck.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channels API, the notification log, metrics and {@code opsdeck notify test} against a running server. */
class ChannelsApiTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static Receiver receiver;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s", public_url: "https://ops.example.com" }
                channels:
                  hook: { type: webhook, url: "%s", secret: hush, headers: { Authorization: "Bearer t0ken" } }
                  broken: { type: webhook, url: "%s", timeout: 2s }
                  chat: { type: slack, url: "https://hooks.slack.test/services/T0/B0/s3cret-path" }
                  mail:
                    type: email
                    smtp: { host: 127.0.0.1, port: 9, username: u, password: mail-pass }
                    from: opsdeck@example.com
                    to: oncall@example.com
                services:
                  api:
                    checks:
                      ping: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                """.formatted(
                        dir.resolve("data"), receiver.url("/ok"), receiver.url("/fail")));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        receiver.close();
    }

    @Test
    void channelsAreListedWithoutSecrets() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/channels");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("hush", "t0ken", "s3cret-path", "mail-pass", "/ok");
        JsonNode channels = TestServer.JSON.readTree(r.body()).path("channels");
        assertThat(channels).extracting(c -> c.path("name").asText()).containsExactly("broken", "chat", "hook", "mail");
        assertThat(channels.get(1).path("target").asText()).isEqualTo("https://hooks.slack.test/***");
        assertThat(channels.get(2).path("signed").asBoolean()).isTrue();
        assertThat(channels.get(2).path("headers").toString()).isEqualTo("[\"Authorization\"]");
        assertThat(channels.get(3).path("target").asText()).isEqualTo("oncall@example.com via 127.0.0.1:9");
        assertThat(channels.get(3).path("retry_horizon").asText()).isEqualTo("1d");
    }

    @Test
    void aTestMessageIsDeliveredAuditedLoggedAndCounted() throws Exception {
        HttpResponse<String> r = post("/api/v1/channels/hook/test", server.token);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode d = TestServer.JSON.readTree(r.body());
        assertThat(d.path("status").asText()).isEqualTo("delivered");
        assertThat(d.path("idempotency_key").asText()).matches("test-hook-[0-9a-f]{16}");
        Receiver.Request got = receiver.requests.stream()
                .filter(q -> d.path("idempotency_key").asText().equals(q.header("Idempotency-Key")))
                .findFirst()
                .orElseThrow();
        assertThat(got.header("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(got.body()).contains("Sent by key:");

        AuditLog.Entry e = server.server
                .access()
                .audit()
                .query(new AuditLog.Filter(null, "channel.test", null, null, null, 10, null))
                .getFirst();
        assertThat(e.target()).isEqualTo("channel:hook");
        assertThat(e.outcome()).isEqualTo("ok");

        JsonNode log = server.json("/api/v1/notifications?status=delivered&channel=hook");
        assertThat(log.path("notifications").get(0).path("id").asLong())
                .isEqualTo(d.path("id").asLong());
        assertThat(server.server.notifier().deliveriesFor("test-hook-")).isNotEmpty();
        String metrics = server.get("/metrics").body();
        assertThat(metrics)
                .contains("opsdeck_notifications_delivered_total{channel=\"hook\"}")
                .contains("opsdeck_notifications_pending")
                .contains("opsdeck_notifications_delivery_latency_seconds_count");
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = promtool.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String lint = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as("promtool check metrics:%n%s", lint).isZero();
    }

    @Test
    void aFailingChannelAnswersWithTheErrorAndTheCliSaysSo() throws Exception {
        JsonNode d = TestServer.JSON.readTree(
                post("/api/v1/channels/broken/test", server.token).body());
        assertThat(d.path("status").asText()).isEqualTo("pending");
        assertThat(d.path("last_error").asText()).isEqualTo("HTTP 500: database is on fire");

        String url = server.url();
        Run ok = cli("notify", "test", "hook", "--server", url, "--token", server.token);
        assertThat(ok.code()).isEqualTo(Main.OK);
        assertThat(ok.out()).startsWith("delivered to hook (notification ");
        Run failed = cli("notify", "test", "broken", "--server", url, "--token", server.token);
        assertThat(failed.code()).isEqualTo(Main.FAILED);
        assertThat(failed.out()).contains("not delivered to broken").contains("HTTP 500: database is on fire");
        Run unknown = cli("notify", "test", "nope", "--server", url, "--token", server.token);
        assertThat(unknown.code()).isEqualTo(Main.FAILED);
        assertThat(unknown.err()).contains("no channel named 'nope'");
    }

    @Test
    void onlyOperatorsSendTestsAndBadQueriesAreNamed() throws Exception {
        server.server.access().users().create("watcher", Role.VIEWER, "a long enough password for viewing", false);
        String viewer = server.server
                .access()
                .apiKeys()
                .create("v", "watcher", Role.VIEWER, false, null)
                .secret();
        assertThat(post("/api/v1/channels/hook/test", viewer).statusCode()).isEqualTo(403);
        HttpResponse<String> bad = server.get("/api/v1/notifications?status=lost");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("status: expected pending, delivered or failed; got 'lost'");
        assertThat(server.get("/api/v1/notifications?limit=0").body())
                .contains("limit: expected a whole number from 1 to 1000");
    }

    static HttpResponse<String> post(String path, String key) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    record Run(int code, String out, String err) {}

    static synchronized Run cli(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine(args).execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
