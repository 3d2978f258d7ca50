package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.store.PrivatePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example runbooks end to end, run by a real server: RB-001 brings back a private PostgreSQL the test
 * stopped; the redeploy runbook replaces a running service, and rolls back when the new version is unhealthy.
 */
class RunbookExamplesTest {
    @TempDir
    Path dir;

    @Test
    void rb001BringsBackAStoppedPostgres() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 server binaries");
        Path example = copy(Path.of("examples", "stellarescrow"), dir.resolve("stellarescrow"));
        try (PrivatePostgres pg = PrivatePostgres.start()) {
            // the cluster tool the runbook calls, for this private cluster: what pg_ctlcluster does for a Debian one
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path shim = Files.writeString(bin.resolve("pg_ctlcluster"), "#!/bin/sh\n# pg_ctlcluster VERSION CLUSTER ACTION\n"
                    + "[ \"$3\" = start ] || exit 2\nexec " + pg.startCommand().stream().map(RunbookExamplesTest::quote)
                    .collect(Collectors.joining(" ")) + "\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            pg.stopServer();

            Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "DATABASE_URL", pg.url(),
                    "REDIS_URL", "redis://127.0.0.1:9/0");
            try (RemoteServer server = new RemoteServer(example, dir.resolve("server.log"), env)) {
                var started = server.send("POST", "/api/v1/runbooks/rb-001/runs",
                        "{\"params\": {\"port\": \"" + pg.port() + "\", \"check_apps\": \"false\"}}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
                String id = TestServer.JSON.readTree(started.body()).path("id").asText();

                JsonNode waiting = server.awaitRun(id, "waiting_approval", 30);
                assertThat(waiting.path("pending_approval").path("prompt").asText()).isEqualTo("Confirm step restart: Restart the cluster");
                assertThat(server.send("POST", "/api/v1/runs/" + id + "/approve", "{\"reason\": \"down since 08:00\"}").statusCode())
                        .isEqualTo(200);

                JsonNode run = server.awaitRun(id, "succeeded", 90);
                Map<String, JsonNode> steps = new java.util.HashMap<>();
                run.path("steps").forEach(s -> steps.put(s.path("step").asText(), s));
                assertThat(steps.get("ready").path("exit_code").asInt()).as("pg_isready: no response").isEqualTo(2);
                assertThat(steps.get("disk-full").path("status").asText()).isEqualTo("skipped");
                assertThat(steps.get("restart").path("status").asText()).isEqualTo("succeeded");
                assertThat(steps.get("accepting").path("status").asText()).isEqualTo("succeeded");
                assertThat(steps.get("writable").path("status").asText()).isEqualTo("succeeded");
                assertThat(steps.get("indexer").path("status").asText()).isEqualTo("skipped");
                assertThat(run.path("metrics").path("rto_ms").asLong()).isEqualTo(15 * 60_000);
                assertThat(run.path("metrics").path("rto_met").asBoolean()).isTrue();
                assertThat(server.json("/api/v1/runbooks").path("runbooks").get(0).path("untested").asBoolean()).isFalse();
            }
            try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", "postgres", "")) {
                assertThat(c.isValid(5)).as("PostgreSQL is back").isTrue();
            }
        }
    }

    static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
