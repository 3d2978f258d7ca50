package dev.opsdeck.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every list that takes {@code ?limit=} keeps its own default and maximum, and answers a bad one in the same words:
 * a word, zero and one over the maximum are a 400 naming the range; the maximum itself is answered.
 */
class LimitParamTest {
    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: data, port: 0 }
                backups:
                  app:
                    url: postgresql://postgres@127.0.0.1:5432/postgres
                    destinations: { disk: { type: local, path: %s } }
                drills:
                  monthly:
                    target: app
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    min_tables: 1
                schedules:
                  nightly: { cron: "0 2 * * *", backup: app }
                """.formatted(dir.resolve("backups")));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @CsvSource({
        "/api/v1/services?, 1000",
        "/api/v1/notifications?, 1000",
        "/api/v1/incidents?, 500",
        "/api/v1/runs?, 500",
        "/api/v1/audit?, 1000",
        "/api/v1/audit/export?, 1000",
        "/api/v1/backups/app?, 1000",
        "/api/v1/drills/monthly?, 1000",
        "/api/v1/schedules/nightly?, 1000"
    })
    void aBadLimitIsTheSame400EverywhereAndTheMaximumIsAnswered(String path, int max) throws Exception {
        for (String bad : new String[] {"abc", "0", "-1", String.valueOf(max + 1), "99999999999"}) {
            HttpResponse<String> r = server.get(path + "limit=" + bad);
            assertThat(r.statusCode()).as("%slimit=%s", path, bad).isEqualTo(400);
            JsonNode body = TestServer.JSON.readTree(r.body());
            assertThat(body.path("detail").asText())
                    .isEqualTo("limit: expected a whole number from 1 to " + max + "; got '" + bad + "'");
        }
        assertThat(server.get(path + "limit=" + max).statusCode())
                .as("%slimit=%d", path, max)
                .isEqualTo(200);
    }
}
