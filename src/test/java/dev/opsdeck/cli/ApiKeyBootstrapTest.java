package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.OpsdeckServer;
import dev.opsdeck.server.TestServer;
import dev.opsdeck.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The headless first run: {@code opsdeck apikey bootstrap}, run as its own process, writes a key into a store that
 * does not exist yet (and into one a running server uses), and a real server then answers that key; with it an
 * admin makes keys for a user and for service accounts, all without a browser.
 */
class ApiKeyBootstrapTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    record Proc(int code, String out, String err) {}

    @Test
    void aFreshDataDirectoryGetsItsFirstKeyWithoutABrowserAndWhileTheServerRuns() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + data + "\" }\n");
        assertThat(data).doesNotExist();

        Proc first = opsdeck("apikey", "bootstrap", "automation", "--config", config.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("(admin, service account automation)").contains("Secret, shown once:");
        String secret = lastLine(first.out());
        assertThat(secret).startsWith("odk_");
        assertThat(first.err()).doesNotContain(secret);
        assertThat(data.resolve("opsdeck.db")).exists();

        try (OpsdeckServer server = OpsdeckServer.start(config, new OpsdeckServer.Options(0, 200))) {
            JsonNode me = TestServer.JSON.readTree(
                    call(server.url(), secret, "GET", "/api/v1/me", null).body());
            assertThat(me.path("name").asText()).isEqualTo("automation");
            assertThat(me.path("role").asText()).isEqualTo("admin");
            // the admin key stands in for the bootstrap admin: no user with a password to change, no password file
            assertThat(data.resolve("initial-admin-password")).doesNotExist();
            assertThat(TestServer.JSON
                            .readTree(call(server.url(), secret, "GET", "/api/v1/users", null)
                                    .body())
                            .path("users"))
                    .isEmpty();

            // the admin key makes a key for a user who never signed in, capped at that user's role
            HttpResponse<String> user =
                    call(server.url(), secret, "POST", "/api/v1/users", "{\"name\":\"bob\",\"role\":\"responder\"}");
            assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
            HttpResponse<String> above = call(
                    server.url(),
                    secret,
                    "POST",
                    "/api/v1/apikeys",
                    "{\"name\":\"bob-ci\",\"role\":\"operator\",\"owner\":\"bob\"}");
            assertThat(above.statusCode()).isEqualTo(400);
            assertThat(above.body()).contains("above the owner's role responder");
            CliTest.Run forBob = CliTest.run(
                    "apikey",
                    "create",
                    "bob-ci",
                    "--role",
                    "responder",
                    "--owner",
                    "bob",
                    "--server",
                    server.url(),
                    "--token",
                    secret,
                    "--json");
            assertThat(forBob.code()).as(forBob.err()).isZero();
            JsonNode bobKey = TestServer.JSON.readTree(forBob.out());
            assertThat(bobKey.path("owner").asText()).isEqualTo("bob");
            assertThat(bobKey.path("service_account").asBoolean()).isFalse();
            JsonNode bobMe = TestServer.JSON.readTree(
                    call(server.url(), bobKey.path("secret").asText(), "GET", "/api/v1/me", null)
                            .body());
            assertThat(bobMe.path("name").asText()).isEqualTo("bob");
            assertThat(bobMe.path("role").asText()).isEqualTo("responder");

            // a service account's own request for a key makes another key of that account (it is no user)
            CliTest.Run own = CliTest.run(
                    "apikey",
                    "create",
                    "automation-2",
                    "--role",
                    "operator",
                    "--server",
                    server.url(),
                    "--token",
                    secret,
                    "--json");
            assertThat(own.code()).as(own.err()).isZero();
            assertThat(TestServer.JSON.readTree(own.out()).path("owner").asText())
                    .isEqualTo("automation");
            assertThat(TestServer.JSON
                            .readTree(own.out())
                            .path("service_account")
                            .asBoolean())
                    .isTrue();

            // bob may not make keys for others, nor his key anything above responder
            HttpResponse<String> refused = call(
                    server.url(),
                    bobKey.path("secret").asText(),
                    "POST",
                    "/api/v1/apikeys",
                    "{\"name\":\"sneaky\",\"role\":\"viewer\",\"owner\":\"admin\"}");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("keys for other users need the admin role");

            // a second process writes into the store the running server holds open (SQLite in WAL mode)
            Path file = dir.resolve("viewer-key");
            Proc second = opsdeck(
                    "apikey",
                    "bootstrap",
                    "grafana",
                    "--role",
                    "viewer",
                    "--output",
                    file.toString(),
                    "--config",
                    config.toString());
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(second.out()).contains("Secret written to " + file).doesNotContain("odk_");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            String viewer = Files.readString(file).strip();
            assertThat(call(server.url(), viewer, "GET", "/api/v1/services", null)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(call(server.url(), viewer, "GET", "/api/v1/audit", null).statusCode())
                    .isEqualTo(403);

            // audited as the host user who ran it, never with the secret
            JsonNode trail = TestServer.JSON.readTree(
                    call(server.url(), secret, "GET", "/api/v1/audit?action=apikey.create", null)
                            .body());
            List<JsonNode> local = new ArrayList<>();
            trail.path("entries").forEach(e -> {
                if (e.path("actor").asText().equals("local:" + System.getProperty("user.name"))) local.add(e);
            });
            assertThat(local).hasSize(2);
            assertThat(local).allSatisfy(e -> {
                assertThat(e.path("source").asText()).isEqualTo("local");
                assertThat(e.path("details").path("via").asText()).isEqualTo("opsdeck apikey bootstrap");
            });
            assertThat(trail.toString()).doesNotContain(secret).doesNotContain(viewer);
            assertThat(trail.toString()).contains("\"owner\":\"bob\"");
        }
    }

    @Test
    void aFreshPostgresStoreGetsItsFirstKeyBeforeTheFirstStart() throws Exception {
        String db = TestDatabases.create();
        try {
            Path config = Files.writeString(
                    dir.resolve("opsdeck.yaml"),
                    "server: { data_dir: \"" + dir.resolve("data")
                            + "\" }\nstore: { url: \"postgresql://postgres@127.0.0.1:5432/" + db + "\" }\n");
            Proc made = opsdeck(
                    "apikey",
                    "bootstrap",
                    "ci",
                    "--role",
                    "operator",
                    "--expires-in",
                    "1d",
                    "--json",
                    "--config",
                    config.toString());
            assertThat(made.code()).as(made.err()).isZero();
            JsonNode key = TestServer.JSON.readTree(made.out());
            assertThat(key.path("role").asText()).isEqualTo("operator");
            assertThat(key.path("expires_ms").asLong()).isGreaterThan(System.currentTimeMillis());
            try (TestServer server = new TestServer(config)) {
                // an operator key is no admin: the first start still makes the bootstrap admin
                assertThat(dir.resolve("data").resolve("initial-admin-password"))
                        .exists();
                HttpResponse<String> me = call(server.url(), key.path("secret").asText(), "GET", "/api/v1/me", null);
                assertThat(me.statusCode()).isEqualTo(200);
                assertThat(TestServer.JSON.readTree(me.body()).path("role").asText())
                        .isEqualTo("operator");
            }
        } finally {
            TestDatabases.drop(db);
        }
    }

    @Test
    void badInputIsRefusedWithItsReasonAndNoKey() throws Exception {
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + dir.resolve("data") + "\" }\n");
        CliTest.Run role = CliTest.run("apikey", "bootstrap", "x", "--role", "root", "--config", config.toString());
        assertThat(role.code()).isEqualTo(Main.INVALID);
        assertThat(role.err()).contains("--role: expected viewer, responder, operator or admin; got 'root'");
        CliTest.Run noUser = CliTest.run("apikey", "bootstrap", "x", "--user", "nobody", "--config", config.toString());
        assertThat(noUser.code()).isEqualTo(Main.INVALID);
        assertThat(noUser.err()).contains("no user 'nobody'");
        Path taken = Files.writeString(dir.resolve("taken"), "keep me");
        CliTest.Run exists =
                CliTest.run("apikey", "bootstrap", "x", "--output", taken.toString(), "--config", config.toString());
        assertThat(exists.code()).isEqualTo(Main.INVALID);
        assertThat(exists.err()).contains("already exists");
        assertThat(Files.readString(taken)).isEqualTo("keep me");
        Path failed = dir.resolve("failed-key");
        CliTest.Run user = CliTest.run(
                "apikey",
                "bootstrap",
                "x",
                "--user",
                "nobody",
                "--output",
                failed.toString(),
                "--config",
                config.toString());
        assertThat(user.code()).isEqualTo(Main.INVALID);
        assertThat(failed).doesNotExist();
        CliTest.Run badConfig = CliTest.run(
                "apikey",
                "bootstrap",
                "x",
                "--config",
                dir.resolve("missing.yaml").toString());
        assertThat(badConfig.code()).isEqualTo(Main.INVALID);
    }

    /** {@code opsdeck ARGS} in its own JVM, as an operator would run it on the host. */
    private static Proc opsdeck(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Proc(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static String lastLine(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    private static HttpResponse<String> call(String url, String key, String method, String path, String body)
            throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
