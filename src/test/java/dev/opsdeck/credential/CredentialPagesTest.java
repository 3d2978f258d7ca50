package dev.opsdeck.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /credentials} on a real server: credentials read from real files and listed by hand, certificates read from
 * real PEM files, each table in the order of what needs action first (a source unreadable or gone, overdue, then
 * the soonest due; an unreadable file, expired, expiring, then the rest), which is not the order of their names.
 */
class CredentialPagesTest {
    @TempDir
    Path dir;

    @Test
    void theInventoryListsWhatNeedsActionFirst() throws Exception {
        Files.writeString(dir.resolve("api_key"), "key-0123456789\n");
        Instant now = Instant.now();
        TestPki.Issued ca = TestPki.root("Test CA", now.minus(Duration.ofDays(400)), now.plus(Duration.ofDays(900)));
        TestPki.writePem(
                dir.resolve("certs/a-fine.pem"),
                leaf(ca, "fine.example", now, 200).certificate());
        TestPki.writePem(
                dir.resolve("certs/b-soon.pem"),
                leaf(ca, "soon.example", now, 10).certificate());
        TestPki.writePem(
                dir.resolve("certs/c-gone.pem"),
                leaf(ca, "gone.example", now, -3).certificate());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%1$s/data" }
                credentials:
                  api-key: { owner: platform, purpose: API keys, source: "file:%1$s/api_key", rotate_every: 90d }
                  backup-token: { owner: ops, purpose: S3 token, rotate_every: 365d, last_rotated: %2$s }
                  db-password: { owner: dba, purpose: PostgreSQL password, source: "file:%1$s/certs", rotate_every: 365d }
                  grafana-admin: { owner: ops, purpose: Grafana admin, rotate_every: 30d, last_rotated: %3$s }
                  webhook-secret: { owner: platform, purpose: webhook signing, source: "file:%1$s/webhook", rotate_every: 90d }
                certificates:
                  sources:
                    a-fine: { file: "%1$s/certs/a-fine.pem" }
                    b-soon: { file: "%1$s/certs/b-soon.pem" }
                    c-gone: { file: "%1$s/certs/c-gone.pem" }
                    d-lost: { file: "%1$s/certs/d-lost.pem" }
                """.formatted(dir, today.minusDays(5), today.minusDays(60)));
        try (TestServer server = new TestServer(config)) {
            TestServer.awaitHttp(() -> server.get("/credentials").body().contains("fine.example"), "the first refresh");
            String page = server.get("/credentials").body();
            String credentials = page.substring(page.indexOf("<h1>Credentials</h1>"), page.indexOf("<h2>Certificates"));
            assertInOrder(
                    credentials,
                    List.of(
                            "<td class=\"mono\">db-password</td>", // a directory, not a secret file
                            "<td class=\"mono\">webhook-secret</td>", // no such file
                            "<td class=\"mono\">grafana-admin</td>",
                            "<td class=\"mono\">api-key</td>",
                            "<td class=\"mono\">backup-token</td>"));
            assertThat(credentials)
                    .contains("<span class=\"pill pill-down\">source_missing</span>")
                    .contains("<span class=\"pill pill-degraded\">overdue</span>")
                    .contains("<span class=\"pill pill-down\">source_unreadable</span>")
                    .contains("certs is a directory, not a secret file")
                    .contains("<span class=\"pill pill-up\">ok</span>")
                    .doesNotContain("key-0123456789");

            String certificates = page.substring(page.indexOf("<h2>Certificates"));
            assertInOrder(
                    certificates,
                    List.of(
                            "d-lost.pem",
                            "<td class=\"mono\">CN=gone.example</td>",
                            "<td class=\"mono\">CN=soon.example</td>",
                            "<td class=\"mono\">CN=fine.example</td>"));
            assertThat(certificates)
                    .contains("d-lost.pem does not exist")
                    .contains("<span class=\"pill pill-down\">expired</span>")
                    .contains("<span class=\"pill pill-degraded\">expiring</span>")
                    .contains("<span class=\"pill pill-up\">ok</span>");

            assertThat(server.anonymous("/credentials").body()).doesNotContain("webhook-secret");
        }
    }

    private static TestPki.Issued leaf(TestPki.Issued ca, String cn, Instant now, int daysLeft) throws Exception {
        return TestPki.issue(
                ca,
                cn,
                now.minus(Duration.ofDays(30)),
                now.plus(Duration.ofDays(daysLeft)).plus(Duration.ofHours(1)),
                false,
                List.of(cn));
    }

    private static void assertInOrder(String html, List<String> rows) {
        int at = -1;
        for (String row : rows) {
            int next = html.indexOf(row);
            assertThat(next).as("%s is listed", row).isNotNegative();
            assertThat(next).as("%s comes after the row before it", row).isGreaterThan(at);
            at = next;
        }
    }
}
