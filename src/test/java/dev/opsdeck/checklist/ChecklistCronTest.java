package dev.opsdeck.checklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checklist's cron {@code schedule:} runs it through the server's own ticker, with no {@code every:} and nobody
 * asking: a six-field expression firing every 10 seconds yields scheduled runs, each started in the 5 s tick after
 * a 10-second mark of the clock.
 */
class ChecklistCronTest {
    @TempDir
    Path dir;

    @Test
    void aCronScheduleFiresRunsByItself() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                checklists:
                  tenth:
                    schedule: "*/10 * * * * *"
                    sections:
                      - items: [ { id: data-disk, type: disk, path: "%s" } ]
                """.formatted(dir.resolve("data"), dir));
        try (TestServer server = new TestServer(config)) {
            // the ticker looks every 5 s: two marks pass within 30 s of the start
            long deadline = System.currentTimeMillis() + 40_000;
            JsonNode runs = server.json("/api/v1/checklists/tenth/runs").path("runs");
            while (runs.size() < 2) {
                assertThat(System.currentTimeMillis())
                        .as("two scheduled runs within 40 s")
                        .isLessThan(deadline);
                Thread.sleep(200);
                runs = server.json("/api/v1/checklists/tenth/runs").path("runs");
            }
            long previous = Long.MAX_VALUE;
            for (JsonNode run : runs) {
                assertThat(run.path("cause").asText()).isEqualTo("schedule");
                assertThat(run.path("actor").asText()).isEqualTo("schedule");
                assertThat(run.path("state").asText()).isEqualTo("ready");
                long started = Instant.parse(run.path("started_at").asText()).toEpochMilli();
                assertThat(started % 10_000)
                        .as("started in the tick after a 10-second mark")
                        .isLessThan(6_000);
                assertThat(previous - started).as("one run per mark").isGreaterThanOrEqualTo(5_000);
                previous = started;
            }
        }
    }
}
