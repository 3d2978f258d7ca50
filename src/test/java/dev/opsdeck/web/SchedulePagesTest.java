package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.schedule.ScheduleRun;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /schedules} on a real server: each schedule's next fire times and its runs with their results. */
@Tag("server")
class SchedulePagesTest {
    @TempDir
    Path dir;

    @Test
    void showsNextFireTimesAndRunResults() throws Exception {
        try (ServerSocket listening = new ServerSocket(0);
                TestServer server = TestServer.start(dir, """
                       api:
                         checks:
                           port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h }
                           closed: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                     schedules:
                       port-check: { cron: "0 6,18 * * *", time_zone: Europe/Berlin, check: api/port, description: port open }
                       closed-check: { cron: "@daily", check: api/closed, alert: { on: [] } }
                     """.formatted(listening.getLocalPort()))) {
            ScheduleRun ok = server.server.scheduler().runNow("port-check", "alice");
            ScheduleRun failed = server.server.scheduler().runNow("closed-check", "alice");
            assertThat(server.server.scheduler().awaitIdle(Duration.ofSeconds(10)))
                    .isTrue();

            HttpResponse<String> page = server.get("/schedules");
            assertThat(page.statusCode()).isEqualTo(200);
            String body = page.body();
            String port = body.substring(body.indexOf("<h2>port-check</h2>"), body.indexOf("<h2>closed-check</h2>"));
            assertThat(port)
                    .contains("port open")
                    .contains("0 6,18 * * * (Europe/Berlin) · check: api/port")
                    .contains("missed: run_once, overlap: skip")
                    .contains("<span class=\"pill pill-up\">ok</span>")
                    .contains(Instant.ofEpochMilli(ok.fireMs()).toString())
                    .contains("manual");
            assertThat(port).containsPattern("Next: <span class=\"mono\">\\d{4}-\\d\\d-\\d\\dT(04|05|16|17):00:00Z, ");
            String closed = body.substring(body.indexOf("<h2>closed-check</h2>"));
            assertThat(closed)
                    .contains("<span class=\"pill pill-down\">failed</span>")
                    .contains("down")
                    .contains(Instant.ofEpochMilli(failed.fireMs()).toString());
            assertThat(server.get("/").body()).contains("<a href=\"/schedules\">Schedules</a>");
        }
    }
}
