package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.Scratch;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /backups} on a real server: a verified target shows fresh, one whose database is down shows stale. */
@Tag("server")
class BackupPagesTest {
    @TempDir
    Path dir;

    @Test
    void showsEachTargetsLastVerifiedBackupAndHistory() throws Exception {
        String source = Scratch.pgbench(1);
        try (TestServer server = TestServer.start(
                dir, """
                  api: {}
                backups:
                  main:
                    url: %s
                    destinations: { disk: { type: local, path: "%s" } }
                  offline:
                    url: postgresql://postgres@127.0.0.1:9/gone
                    destinations: { disk: { type: local, path: "%s" } }
                """.formatted(Scratch.url(source), dir.resolve("main"), dir.resolve("offline")))) {
            Backup ok = server.server.backups().create("main");
            assertThat(ok.status()).as(ok.error()).isEqualTo(Backup.VERIFIED);
            Backup failed = server.server.backups().create("offline");
            assertThat(failed.status()).isEqualTo(Backup.FAILED);

            HttpResponse<String> page = server.get("/backups");
            assertThat(page.statusCode()).isEqualTo(200);
            String main = page.body()
                    .substring(page.body().indexOf("<h2>main</h2>"), page.body().indexOf("<h2>offline</h2>"));
            assertThat(main)
                    .contains("postgresql://postgres@127.0.0.1:5432/" + source)
                    .contains(ok.fileName())
                    .contains("<span class=\"pill pill-up\">fresh</span>")
                    .contains("<span class=\"pill pill-up\">verified</span>")
                    .contains("disk: verified");
            String offline = page.body().substring(page.body().indexOf("<h2>offline</h2>"));
            assertThat(offline)
                    .contains("never")
                    .contains("stale: none verified in the last 26 h")
                    .contains("<span class=\"pill pill-down\">failed</span>")
                    .contains("cannot connect to 127.0.0.1:9/gone");
            assertThat(server.get("/").body()).contains("<a href=\"/backups\">Backups</a>");
        } finally {
            Scratch.drop(source);
        }
    }
}
