package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.auth.Role;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The post-incident review pages in real headless Chromium: a resolved P1 is owed a review on {@code /reviews};
 * a responder writes it on the form (a refused completion keeps what was typed), completes it, and the
 * completion lands on the incident's timeline; a viewer sees the review but no form controls.
 */
@Tag("browser")
class ReviewPagesBrowserTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static ChromeDriver driver;
    static long incident;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                  database:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h, timeout: 1s, enabled: false }
                """);
        var fired = new AlertEvent(
                "review-page",
                "rule",
                "DatabaseDown",
                AlertEvent.State.FIRING,
                AlertEvent.Severity.P1,
                "database",
                "database",
                List.of(),
                false,
                Map.of(),
                "database is down",
                null,
                null,
                Instant.now(),
                null);
        incident = server.server.incidents().acceptAll(List.of(fired), "test").getFirst();
        server.server.incidents().resolve(incident, "carol");
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    @Test
    void aResponderWritesAndCompletesTheReviewAndAViewerOnlyReadsIt() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "responder-rita", Role.RESPONDER);
        driver.get(server.url("/reviews"));
        var row = driver.findElement(By.cssSelector("table[data-list='due'] tr[data-incident='" + incident + "']"));
        assertThat(row.getText()).contains("P1", "database is down", "not started", "due in 1 d 23 h");
        DashboardBrowserTest.submit(
                driver, By.cssSelector("table[data-list='due'] tr[data-incident='" + incident + "'] a"));
        assertThat(driver.getCurrentUrl()).endsWith("/incidents/" + incident + "/review");
        assertThat(text("review-stage")).isEqualTo("not started");

        driver.findElement(By.id("root_cause")).sendKeys("The primary's WAL filled the disk.");
        driver.findElement(By.id("remediation")).sendKeys("Freed space, restarted PostgreSQL.");
        driver.findElements(By.name("action_description")).get(0).sendKeys("Alert at 85 % disk");
        driver.findElements(By.name("action_owner")).get(0).sendKeys("alice");
        // a date input takes the digits in the browser's locale order; set the ISO value directly instead
        driver.executeScript("document.getElementsByName('action_due')[0].value = '2026-12-31'");
        DashboardBrowserTest.submit(driver, By.id("save-review"));
        assertThat(text("review-stage")).startsWith("draft, saved ").endsWith(" by responder-rita");

        DashboardBrowserTest.submit(driver, By.id("complete-review"));
        assertThat(text("review-error"))
                .isEqualTo("the review cannot be completed yet: write impact, detection_gap,"
                        + " runbook_improvements (write \"none\" where there is nothing to say)");
        assertThat(driver.findElement(By.id("root_cause")).getAttribute("value"))
                .isEqualTo("The primary's WAL filled the disk.");

        driver.findElement(By.id("impact")).sendKeys("Trades failed for 40 minutes.");
        driver.findElement(By.id("detection_gap")).sendKeys("The disk alert fired at 95 %.");
        driver.findElement(By.id("runbook_improvements")).sendKeys("none");
        new Select(driver.findElements(By.name("action_status")).get(0)).selectByValue("done");
        DashboardBrowserTest.submit(driver, By.id("save-review"));
        driver.manage().window().setSize(new Dimension(1280, 1800));
        DashboardBrowserTest.Screenshots.take(driver, "review");
        DashboardBrowserTest.submit(driver, By.id("complete-review"));
        assertThat(text("review-stage")).startsWith("completed ").endsWith(" by responder-rita");
        assertThat(driver.findElements(By.id("complete-review"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".timeline tr[data-kind='note'] .entry-text")).stream()
                        .map(e -> e.getText()))
                .contains("Post-incident review completed.");
        assertThat(new Select(driver.findElements(By.name("action_status")).get(0))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("done");

        driver.get(server.url("/reviews"));
        assertThat(driver.findElements(By.cssSelector("table[data-list='due']")))
                .isEmpty();
        assertThat(driver.findElement(By.cssSelector("table[data-list='completed']"))
                        .getText())
                .contains("database is down");

        DashboardBrowserTest.signIn(driver, server, "viewer-vic", Role.VIEWER);
        driver.get(server.url("/incidents/" + incident + "/review"));
        assertThat(driver.findElement(By.id("root_cause")).getAttribute("value"))
                .isEqualTo("The primary's WAL filled the disk.");
        assertThat(driver.findElement(By.id("root_cause")).isEnabled()).isFalse();
        assertThat(driver.findElements(By.id("save-review"))).isEmpty();
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }
}
