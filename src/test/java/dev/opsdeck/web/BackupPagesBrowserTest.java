package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.backup.Scratch;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The backups page in real headless Chromium: an operator backs up a real database with "Back up now" and proves
 * it restores with "Run drill" (a temporary database on the shared PostgreSQL); the page then shows the last passed
 * drill with its RTO and RPO and the drill history. A responder sees all of it but no buttons. Both buttons are
 * forms with the session's CSRF token and write the API's audit entries.
 */
@Tag("browser")
class BackupPagesBrowserTest {
    @TempDir
    static Path dir;

    static String source;
    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        source = Scratch.pgbench(1);
        server = TestServer.start(dir, """
                  api: {}
                backups:
                  main:
                    url: %s
                    destinations: { disk: { type: local, path: "%s" } }
                drills:
                  monthly:
                    target: main
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    min_tables: 3
                    tables: { pgbench_accounts: {} }
                """.formatted(Scratch.url(source), dir.resolve("disk")));
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        Scratch.drop(source);
    }

    @Test
    void anOperatorBacksUpAndRunsADrillAndAResponderOnlyReads() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/backups"));
        assertThat(driver.findElement(By.cssSelector("section[data-target='main'] .last-drill"))
                        .getText())
                .isEqualTo("Last passed restore drill: never");

        DashboardBrowserTest.submit(driver, By.id("backup-now-main"));
        assertThat(driver.findElement(By.id("backups-notice")).getText()).isEqualTo("Backup 1 started.");
        TestServer.await(
                Duration.ofSeconds(60),
                "the backup to end",
                () -> server.server.backups().progress(1) == null
                        && !server.server.backups().get(1).status().equals(Backup.RUNNING));
        assertThat(server.server.backups().get(1).status()).isEqualTo(Backup.VERIFIED);

        driver.get(server.url("/backups"));
        DashboardBrowserTest.submit(driver, By.id("run-drill-monthly"));
        assertThat(driver.findElement(By.id("backups-notice")).getText()).isEqualTo("Drill run 1 started.");
        TestServer.await(
                Duration.ofSeconds(120),
                "the drill to end",
                () -> !server.server.drills().get(1).status().equals(DrillResult.RUNNING));
        DrillResult run = server.server.drills().get(1);
        assertThat(run.status()).as(run.error()).isEqualTo(DrillResult.PASSED);

        driver.get(server.url("/backups"));
        String last = driver.findElement(By.cssSelector("section[data-target='main'] .last-drill"))
                .getText();
        assertThat(last)
                .startsWith("Last passed restore drill: monthly ")
                .contains(" ago · RTO ")
                .contains(" · RPO ");
        assertThat(driver.findElement(By.cssSelector("tr[data-drill-run='1']")).getText())
                .startsWith("1 monthly passed")
                .contains(server.server.backups().get(1).fileName());
        driver.manage().window().setSize(new Dimension(1280, 1000));
        DashboardBrowserTest.Screenshots.take(driver, "backups");

        DashboardBrowserTest.signIn(driver, server, "responder-rita", Role.RESPONDER);
        driver.get(server.url("/backups"));
        assertThat(driver.findElements(By.cssSelector("tr[data-drill-run]"))).hasSize(1);
        assertThat(driver.findElements(By.id("backup-now-main"))).isEmpty();
        assertThat(driver.findElements(By.id("run-drill-monthly"))).isEmpty();

        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter("operator-olga", null, null, null, null, 10, null))
                        .stream()
                        .map(AuditLog.Entry::action))
                .contains("backup.create", "drill.run");
    }
}
