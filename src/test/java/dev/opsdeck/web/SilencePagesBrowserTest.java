package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The silences page in real headless Chromium: an operator's refused silence keeps what was typed, a good one is
 * listed with the text shown as text, ending it moves it to the ended list, both audited; a responder sees the
 * silences but no form.
 */
@Tag("browser")
class SilencePagesBrowserTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                  indexer:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h, timeout: 1s, enabled: false }
                """);
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    @Test
    void anOperatorAddsAndEndsASilenceAndAResponderOnlyReads() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/incidents"));
        DashboardBrowserTest.submit(driver, By.linkText("Silences"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("Silences");

        type("silence-matchers", "service=indexer, severity");
        type("silence-duration", "2h");
        type("silence-comment", "deploy <b>4.2</b>");
        DashboardBrowserTest.submit(driver, By.id("add-silence"));
        assertThat(driver.findElement(By.id("silence-error")).getText())
                .isEqualTo("matchers: expected NAME=VALUE, NAME!=VALUE or NAME=~REGEX; got 'severity'");
        assertThat(driver.findElement(By.id("silence-comment")).getAttribute("value"))
                .isEqualTo("deploy <b>4.2</b>");

        type("silence-matchers", "service=indexer, severity!=P1");
        DashboardBrowserTest.submit(driver, By.id("add-silence"));
        var row = driver.findElement(By.cssSelector("table[data-list='current'] tr[data-silence]"));
        assertThat(row.getText())
                .contains(
                        "active",
                        "service=indexer, severity!=P1",
                        "ends in 1 h 59 min",
                        "operator-olga",
                        "deploy <b>4.2</b>");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        DashboardBrowserTest.Screenshots.take(driver, "silences");

        DashboardBrowserTest.signIn(driver, server, "responder-rita", Role.RESPONDER);
        driver.get(server.url("/silences"));
        assertThat(driver.findElements(By.cssSelector("table[data-list='current'] tr[data-silence]")))
                .hasSize(1);
        assertThat(driver.findElements(By.id("add-silence"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("form[action$='/expire']")))
                .isEmpty();

        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/silences"));
        String id = driver.findElement(By.cssSelector("table[data-list='current'] tr[data-silence]"))
                .getAttribute("data-silence");
        DashboardBrowserTest.submit(driver, By.id("expire-" + id));
        assertThat(driver.findElements(By.cssSelector("table[data-list='current']")))
                .isEmpty();
        assertThat(driver.findElement(By.cssSelector("table[data-list='ended'] tr[data-silence='" + id + "']"))
                        .getText())
                .contains("ended", "operator-olga");
        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter("operator-olga", "silence.", null, null, null, 10, null))
                        .stream()
                        .map(e -> e.action()))
                .containsExactly("silence.expire", "silence.create");
    }

    private static void type(String id, String text) {
        var field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }
}
