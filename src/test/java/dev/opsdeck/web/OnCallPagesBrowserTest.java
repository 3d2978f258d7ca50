package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The on-call page in real headless Chromium: reached from the navigation, it shows who is on call now and next
 * per rotation and the maintenance windows; an operator ends a window and starts one from the page, a viewer has
 * neither button.
 */
@Tag("browser")
class OnCallPagesBrowserTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                  api: {}
                  postgres: {}
                channels:
                  hook: { type: webhook, url: "http://127.0.0.1:9/hook" }
                contacts:
                  alice: { name: Alice Example, notify: [hook] }
                  bob: { name: Bob <b>Bold</b>, notify: [hook] }
                rotations:
                  primary: { members: [alice], start: 2020-01-06, time_zone: Europe/Berlin }
                  secondary: { members: [bob], start: 2099-01-05 }
                maintenance:
                  vacuum: { services: [postgres], days: [sunday], at: "02:00", comment: weekly vacuum }
                """);
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url("/api/v1/maintenance")))
                                .header("Authorization", "Bearer " + server.token)
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"services\": [\"api\"], \"duration\": \"2h\", \"comment\": \"api upgrade\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    @Test
    void showsWhoIsOnCallAndLetsAnOperatorEndAWindow() {
        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/incidents"));
        DashboardBrowserTest.submit(driver, By.linkText("On call"));
        assertThat(driver.getCurrentUrl()).endsWith("/oncall");
        var primary = driver.findElement(By.cssSelector("tr[data-rotation='primary']"));
        assertThat(primary.findElement(By.className("oncall-now")).getText()).isEqualTo("Alice Example");
        assertThat(primary.findElement(By.className("oncall-next")).getText()).isEqualTo("Alice Example");
        var secondary = driver.findElement(By.cssSelector("tr[data-rotation='secondary']"));
        assertThat(secondary.findElement(By.className("oncall-now")).getText()).isEqualTo("nobody");
        assertThat(secondary.findElement(By.className("oncall-next")).getText())
                .isEqualTo("Bob <b>Bold</b>"); // text, not markup

        assertThat(driver.findElement(By.cssSelector("tr[data-window='vacuum']"))
                        .getText())
                .contains("postgres")
                .contains("weekly vacuum")
                .contains("(config)");
        var window = driver.findElement(By.cssSelector("tr[data-window='1']"));
        assertThat(window.getText()).contains("api upgrade").contains("active");
        DashboardBrowserTest.submit(driver, By.cssSelector("tr[data-window='1'] button"));
        assertThat(driver.getCurrentUrl()).endsWith("/oncall");
        assertThat(driver.findElements(By.cssSelector("tr[data-window='1']"))).isEmpty();

        // a new one from the form; a mistake is shown on the page, naming the field
        driver.findElement(By.id("window-services")).sendKeys("apii");
        driver.findElement(By.id("window-comment")).sendKeys("failover drill");
        DashboardBrowserTest.submit(driver, By.id("window-add"));
        assertThat(driver.findElement(By.cssSelector("[role='alert']")).getText())
                .isEqualTo("services: no service named 'apii'");
        driver.findElement(By.id("window-services")).sendKeys("api, postgres");
        driver.findElement(By.id("window-duration")).clear();
        driver.findElement(By.id("window-duration")).sendKeys("30m");
        driver.findElement(By.id("window-comment")).sendKeys("failover drill");
        DashboardBrowserTest.submit(driver, By.id("window-add"));
        var made = driver.findElement(By.cssSelector("tr[data-window='2']"));
        assertThat(made.getText())
                .contains("api, postgres")
                .contains("failover drill")
                .contains("operator-olga")
                .contains("active");
    }

    @Test
    void aViewerSeesTheRotaButNoButton() {
        DashboardBrowserTest.signIn(driver, server, "viewer-vic", Role.VIEWER);
        driver.get(server.url("/oncall"));
        assertThat(driver.findElement(By.cssSelector("tr[data-rotation='primary']"))
                        .getText())
                .contains("Alice Example");
        assertThat(driver.findElements(By.cssSelector("table.maintenance button")))
                .isEmpty();
        assertThat(driver.findElements(By.id("window-add"))).isEmpty();
    }
}
