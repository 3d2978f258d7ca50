package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.store.PrivatePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/db-password-rotation.yaml run by a real server against a private PostgreSQL that asks every client
 * for a password: the role's new password logs in, the old one no longer does, the password shows nowhere in
 * the run, and the credential inventory sees the rotation because the secret file changed.
 */
class DbPasswordRotationExampleTest {
    private static final String EXAMPLE_SECRET = "/etc/app/secrets/db_password";

    @TempDir
    Path dir;

    @Test
    void rotatesThePasswordAndTheInventorySeesIt() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 server binaries");
        String admin = "admin-pw-" + Long.toHexString(System.nanoTime());
        String old = "old-pw-" + Long.toHexString(System.nanoTime());
        try (PrivatePostgres pg = PrivatePostgres.start(admin)) {
            try (var c = connect(pg, "postgres", admin);
                    var s = c.createStatement()) {
                s.execute(String.format("CREATE ROLE app LOGIN PASSWORD '%s'", old));
            }
            Path secret = dir.resolve("secrets/db_password");
            Files.createDirectories(secret.getParent());
            Files.writeString(secret, old + "\n");
            Path pgpass = Files.writeString(
                    dir.resolve("pgpass"), String.format("127.0.0.1:%d:*:postgres:%s", pg.port(), admin));
            Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
            Path config = dir.resolve("rotation.yaml");
            Files.writeString(
                    config,
                    Files.readString(Path.of("examples", "db-password-rotation.yaml"))
                            .replace(EXAMPLE_SECRET, secret.toString()));

            try (RemoteServer server =
                    new RemoteServer(config, dir.resolve("server.log"), Map.of("PGPASSFILE", pgpass.toString()))) {
                assertThat(server.send("POST", "/api/v1/credentials/refresh", null)
                                .statusCode())
                        .isEqualTo(200);
                JsonNode before = server.json("/api/v1/credentials/app-db-password");
                assertThat(before.path("state").asText()).as(before.toString()).isEqualTo("ok");
                assertThat(before.path("rotation_seen").asBoolean()).isFalse();

                var started = server.send(
                        "POST",
                        "/api/v1/runbooks/rotate-db-password/runs",
                        String.format("{\"params\": {\"port\": \"%d\"}}", pg.port()));
                assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
                String id = TestServer.JSON.readTree(started.body()).path("id").asText();
                JsonNode run = server.awaitRun(id, "succeeded", 60);

                String fresh = Files.readString(secret).strip();
                assertThat(fresh).isNotEqualTo(old).hasSizeGreaterThanOrEqualTo(30);
                assertThat(run.toString())
                        .as("the password shows nowhere in the run")
                        .doesNotContain(fresh);
                String output = server.send("GET", "/api/v1/runs/" + id + "/steps/1/output", null)
                        .body();
                assertThat(output)
                        .contains("password of app changed and stored")
                        .doesNotContain(fresh);
                assertThat(server.send("GET", "/api/v1/runs/" + id + "/steps/2/output", null)
                                .body())
                        .contains("app")
                        .doesNotContain(fresh);
                try (var c = connect(pg, "app", fresh);
                        var s = c.createStatement();
                        var r = s.executeQuery("SELECT current_user")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo("app");
                }
                assertThatThrownBy(() -> connect(pg, "app", old).close())
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("password authentication failed for user \"app\"");

                assertThat(server.send("POST", "/api/v1/credentials/refresh", null)
                                .statusCode())
                        .isEqualTo(200);
                JsonNode after = server.json("/api/v1/credentials/app-db-password");
                assertThat(after.path("rotation_seen").asBoolean())
                        .as(after.toString())
                        .isTrue();
                assertThat(after.path("rotated_at").asText())
                        .isGreaterThan(before.path("rotated_at").asText());
                assertThat(server.send("GET", "/api/v1/credentials", null).body())
                        .doesNotContain(fresh)
                        .doesNotContain(old);
            }
            assertThat(Files.readString(dir.resolve("server.log"))).doesNotContain(fresh(secret));
        }
    }

    private static String fresh(Path secret) throws Exception {
        return Files.readString(secret).strip();
    }

    private static java.sql.Connection connect(PrivatePostgres pg, String user, String password) throws SQLException {
        return DriverManager.getConnection(
                String.format("jdbc:postgresql://127.0.0.1:%d/postgres", pg.port()), user, password);
    }
}
