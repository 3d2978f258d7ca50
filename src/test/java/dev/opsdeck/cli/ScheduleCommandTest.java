package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.server.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck schedule list|run} against a real server whose schedules run real checks. */
class ScheduleCommandTest {
    @TempDir
    Path dir;

    @Test
    void listAndRunNow() throws Exception {
        try (ServerSocket listening = new ServerSocket(0)) {
            Path config = Files.writeString(
                    dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    services:
                      api:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h }
                          closed: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                    schedules:
                      port-check: { cron: "0 0,12 * * *", check: api/port }
                      closed-check: { cron: "0 0,12 * * *", check: api/closed, alert: { on: [] } }
                    """.formatted(dir.resolve("data"), listening.getLocalPort()));
            try (TestServer server = new TestServer(config)) {
                String[] remote = {"--server", server.url(), "--token", server.token};
                CliTest.Run list = run(remote, "schedule", "list");
                assertThat(list.code()).as(list.err()).isZero();
                assertThat(list.out())
                        .startsWith("NAME")
                        .contains("port-check")
                        .contains("0 0,12 * * *")
                        .contains("UTC")
                        .contains("check:api/port")
                        .contains("never")
                        .containsPattern("T(00|12):00:00Z");

                CliTest.Run ok = run(remote, "schedule", "run", "port-check");
                assertThat(ok.code()).as(ok.err()).isZero();
                assertThat(ok.out()).startsWith("port-check ok: up");

                CliTest.Run failed = run(remote, "schedule", "run", "closed-check");
                assertThat(failed.code()).isEqualTo(Main.FAILED);
                assertThat(failed.out()).startsWith("closed-check failed: down");

                CliTest.Run runs = run(remote, "schedule", "list", "port-check");
                assertThat(runs.out())
                        .contains("next: ")
                        .contains("FIRE TIME")
                        .contains("manual")
                        .contains(" ok ");
                assertThat(run(remote, "schedule", "list", "--json").out())
                        .contains("\"schedules\"")
                        .contains("\"next\"");
                CliTest.Run unknown = run(remote, "schedule", "run", "nope");
                assertThat(unknown.err())
                        .contains("404")
                        .contains("no schedule 'nope'; configured: closed-check, port-check");

                assertThat(server.server.access().audit().query(AuditLog.Filter.latest(100)))
                        .extracting(AuditLog.Entry::action)
                        .contains("schedule.run");
            }
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
