package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import dev.opsdeck.gate.Gate;
import dev.opsdeck.incident.IncidentManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

/**
 * The incident pages in real headless Chromium against a real server: a database's port closes, an incident
 * opens, a responder finds it on {@code /incidents}, acknowledges it, writes a hostile note that stays text and
 * resolves it from the page; a viewer sees no forms and is refused when posting anyway.
 */
@Tag("browser")
class IncidentPagesBrowserTest {
    static final String PAYLOAD = "<script>alert(1)</script>";
    static final String RUNBOOK = "https://runbooks.example/database";

    @TempDir
    static Path dir;

    static LocalTarget database;
    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        database = LocalTarget.open();
        server = TestServer.start(dir, """
                  database:
                    checks:
                      port:
                        type: tcp
                        host: 127.0.0.1
                        port: %d
                        interval: 200ms
                        timeout: 1s
                        failure_threshold: 1
                        alert: { severity: P1, runbook: "%s" }
                  api:
                    depends_on: [database]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                """.formatted(database.port(), RUNBOOK, database.port()));
        // whichever check fails first, the api's alert waits for the database (alerts.defaults.dependency_wait)
        // and joins its incident instead of paging alone
        TestServer.await(Duration.ofSeconds(10), "database up", () -> databaseUp());
        Thread.sleep(500);
        database.close(); // the outage
        TestServer.await(
                Duration.ofSeconds(15),
                "an open incident",
                () -> server.server
                                .incidents()
                                .list(new IncidentManager.Filter("open", null, null, 5))
                                .size()
                        == 1);
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (database != null) database.close();
    }

    @Test
    void aResponderAcknowledgesAnnotatesAndResolvesFromThePageAndAViewerCannot() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "responder-rita", Role.RESPONDER);
        driver.get(server.url("/incidents"));
        var row = driver.findElement(By.cssSelector("table[data-list='open'] tr[data-incident]"));
        assertThat(row.getText()).contains("P1", "triggered", "database", "ack due in");
        assertThat(row.findElement(By.cssSelector(".root-cause")).getText()).isEqualTo("database");
        assertThat(row.findElement(By.linkText("Runbook")).getAttribute("href")).isEqualTo(RUNBOOK);
        DashboardBrowserTest.Screenshots.take(driver, "incidents");

        DashboardBrowserTest.submit(
                driver, By.cssSelector("table[data-list='open'] tr[data-incident] a[href^='/incidents/']"));
        String page = driver.getCurrentUrl();
        assertThat(page).matches(".*/incidents/[0-9]+");
        assertThat(state()).isEqualTo("triggered");
        DashboardBrowserTest.submit(driver, By.id("ack"));
        assertThat(driver.getCurrentUrl()).isEqualTo(page); // 303 back to the incident
        assertThat(state()).isEqualTo("acknowledged");
        assertThat(driver.findElement(By.cssSelector(".incident-facts")).getText())
                .contains("acknowledged by responder-rita");
        assertThat(driver.findElements(By.cssSelector(".timeline tr[data-kind='state'] .actor")).stream()
                        .map(e -> e.getText()))
                .contains("responder-rita");

        driver.findElement(By.id("note-text")).sendKeys("first line " + PAYLOAD + "\nsecond line");
        DashboardBrowserTest.submit(driver, By.id("add-note"));
        var note = driver.findElement(By.cssSelector(".timeline tr[data-kind='note'] .entry-text"));
        assertThat(note.getText()).isEqualTo("first line " + PAYLOAD + "\nsecond line");
        assertThat(driver.findElements(By.cssSelector(".timeline script"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector(".targets")).getText())
                .contains("Acknowledge", "met", "no target");
        driver.manage().window().setSize(new Dimension(1280, 1500)); // the note in the picture
        DashboardBrowserTest.Screenshots.take(driver, "incident");

        driver.findElement(By.id("assign-user")).clear();
        driver.findElement(By.id("assign-user")).sendKeys("nobody");
        DashboardBrowserTest.submit(driver, By.id("assign"));
        assertThat(driver.findElement(By.cssSelector(".notice.error")).getText())
                .isEqualTo("There is no user named \"nobody\".");
        driver.manage().logs().get(LogType.BROWSER); // drains the log: that 400 was asked for
        driver.get(page);
        driver.findElement(By.id("assign-user")).clear();
        driver.findElement(By.id("assign-user")).sendKeys("responder-rita");
        DashboardBrowserTest.submit(driver, By.id("assign"));
        assertThat(driver.findElement(By.cssSelector(".incident-facts")).getText())
                .contains("Assignee\nresponder-rita");
        assertThat(driver.findElements(By.cssSelector(".timeline tr[data-kind='assigned'] .entry-text")).stream()
                        .map(e -> e.getText()))
                .contains("assigned to responder-rita");

        DashboardBrowserTest.submit(driver, By.id("resolve"));
        assertThat(state()).isEqualTo("resolved");
        assertThat(driver.findElements(By.id("reopen"))).hasSize(1);
        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter("responder-rita", "incident.", null, null, null, 10, null))
                        .stream()
                        .map(e -> e.action()))
                .contains("incident.ack", "incident.note", "incident.assign", "incident.resolve");

        driver.get(server.url("/incidents"));
        var response = driver.findElement(By.cssSelector("table[data-list='response'] tr[data-severity='P1']"));
        assertThat(response.getText())
                .startsWith("P1 1 ")
                .endsWith(" 0"); // one incident, acknowledged, resolved, no miss
        assertThat(driver.findElement(By.id("incident-lists")).getAttribute("hx-trigger"))
                .isEqualTo("every 10s");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
                .as("htmx loads and nothing is blocked by the Content-Security-Policy")
                .filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .isEmpty();

        DashboardBrowserTest.signIn(driver, server, "viewer-vic", Role.VIEWER);
        driver.get(page);
        assertThat(state()).isEqualTo("resolved");
        assertThat(driver.findElements(By.cssSelector("form[action^='/incidents/']")))
                .isEmpty();
        String csrf = driver.findElement(By.cssSelector("form[action='/logout'] input[name='_csrf']"))
                .getAttribute("value");
        String session = driver.manage().getCookieNamed(Gate.SESSION_COOKIE).getValue();
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(page + "/reopen"))
                                .header("Cookie", Gate.SESSION_COOKIE + "=" + session)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        driver.navigate().refresh();
        assertThat(state()).isEqualTo("resolved");
    }

    private static boolean databaseUp() {
        try {
            return server.get("/api/v1/services/database").body().contains("\"status\":\"up\"");
        } catch (Exception e) {
            return false;
        }
    }

    private static String state() {
        return driver.findElement(By.id("incident-state")).getText();
    }
}
