package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The runbook pages in real headless Chromium against a real server: an operator starts a runbook with a parameter
 * from the catalogue (a bad value is refused on the form first), watches a step's output arrive over the event
 * stream while the step still runs, is refused approving their own run (four eyes), a second operator approves, and
 * the run succeeds with its target/actual table filled in. Then a run started from an incident's page is linked to it
 * and shows on its timeline. A viewer sees no start button and is refused when posting anyway.
 */
@Tag("browser")
class RunbookPagesBrowserTest {
    static final String SECRET = "s3cret-token-42";

    @TempDir
    static Path dir;

    static LocalTarget database;
    static LocalTarget web;
    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        database = LocalTarget.open();
        web = LocalTarget.open();
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
                        alert: { severity: P1, runbook: rb-020 }
                  web:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1s, timeout: 1s }
                runbooks:
                  rb-010:
                    title: Drain and restart a node
                    services: [database]
                    target: 1m
                    params:
                      node: { required: true, pattern: "^[a-z0-9-]+$", description: Which node }
                      token: { secret: true, description: Admin token }
                      mode: { allowed: [soft, hard], default: soft }
                    steps:
                      - { id: drain, type: shell, target: 30s, run: 'echo "draining $1 with $T"; sleep 3; echo "drained $1"', args: ["{{params.node}}"], env: { T: "{{params.token}}" } }
                      - { id: go, type: approval, four_eyes: true, prompt: "Restart the node now?" }
                      - { id: restart, type: shell, target: 10s, run: 'echo "restarted $1 ($2)"', args: ["{{params.node}}", "{{params.mode}}"] }
                  rb-020:
                    title: Fail the database over
                    services: [database]
                    target: 5m
                    steps:
                      - { id: promote, type: shell, target: 10s, run: 'echo promoted' }
                  rb-030:
                    title: Web only
                    services: [web]
                    steps:
                      - { id: noop, type: shell, run: 'true' }
                """.formatted(database.port(), web.port()));
        TestServer.await(Duration.ofSeconds(10), "database up", RunbookPagesBrowserTest::databaseUp);
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (database != null) database.close();
        if (web != null) web.close();
    }

    private static boolean databaseUp() {
        try {
            return server.get("/api/v1/services/database").body().contains("\"status\":\"up\"");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void startWatchApproveWithFourEyesAndSucceedThenRunFromAnIncident() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/runbooks"));
        WebElement drain = driver.findElement(By.cssSelector("tr[data-runbook='rb-010']"));
        assertThat(drain.getText())
                .contains("rb-010", "Drain and restart a node", "database", "never", "untested", "1m");
        assertThat(driver.findElement(By.cssSelector("a[href='/runbooks']")).getText())
                .isEqualTo("Runbooks");
        DashboardBrowserTest.Screenshots.take(driver, "runbooks");

        // a value failing the parameter's pattern: refused on the form, nothing started
        drain.findElement(By.tagName("summary")).click();
        drain.findElement(By.name("param.node")).sendKeys("web 1; rm -rf /");
        assertThat(drain.findElement(By.name("param.token")).getAttribute("type"))
                .isEqualTo("password");
        DashboardBrowserTest.submit(driver, By.id("start-rb-010"));
        assertThat(driver.findElement(By.cssSelector("tr[data-runbook='rb-010'] .form-error"))
                        .getText())
                .isEqualTo("Parameter 'node': \"web 1; rm -rf /\" does not match ^[a-z0-9-]+$.");
        assertThat(server.server.runbooks().runs(null, 10)).isEmpty();
        DashboardBrowserTest.Screenshots.take(driver, "runbook-refused");
        driver.manage().logs().get(LogType.BROWSER); // drains the log: that 400 was asked for

        WebElement form = driver.findElement(By.cssSelector("tr[data-runbook='rb-010'] form"));
        form.findElement(By.name("param.node")).clear();
        form.findElement(By.name("param.node")).sendKeys("web-1");
        form.findElement(By.name("param.token")).sendKeys(SECRET);
        DashboardBrowserTest.submit(driver, By.id("start-rb-010"));
        assertThat(driver.getCurrentUrl()).matches(".*/runs/run-[0-9a-f]+");
        String runPage = driver.getCurrentUrl();
        ((JavascriptExecutor) driver).executeScript("window.sameDocument = true;");

        // the first line shows while the step still sleeps: it came over the event stream, not a reload
        waitFor(Duration.ofSeconds(10), "the first output line", () -> output(1).contains("draining web-1 with ***"));
        assertThat(output(1)).doesNotContain("drained");
        assertThat(((JavascriptExecutor) driver).executeScript("return window.sameDocument === true"))
                .isEqualTo(true);
        assertThat(driver.findElement(By.cssSelector("#step-rows tr[data-seq='1']"))
                        .getText())
                .contains("drain", "running");
        assertThat(driver.findElement(By.id("run-live")).getText()).isEqualTo("live");
        assertThat(driver.findElement(By.id("run-params")).getText()).isEqualTo("node=web-1, token=***, mode=soft");
        DashboardBrowserTest.Screenshots.take(driver, "run-live");

        // the approval step: the page reloads itself to show the form
        waitFor(
                Duration.ofSeconds(20),
                "the approval form",
                () -> !driver.findElements(By.id("approve")).isEmpty());
        assertThat(output(1)).isEqualTo("draining web-1 with ***\ndrained web-1\n");
        assertThat(driver.getPageSource()).doesNotContain(SECRET);
        driver.findElement(By.id("decision-reason")).sendKeys("my own run");
        DashboardBrowserTest.submit(driver, By.id("approve"));
        assertThat(driver.findElement(By.id("run-error")).getText())
                .isEqualTo("Step go needs a second person: the one who started the run cannot approve it.");
        DashboardBrowserTest.Screenshots.take(driver, "run-approval");
        driver.manage().logs().get(LogType.BROWSER); // that 403 was asked for

        DashboardBrowserTest.signIn(driver, server, "operator-otto", Role.OPERATOR);
        driver.get(runPage);
        driver.findElement(By.id("decision-reason")).sendKeys("checked the replica lag");
        DashboardBrowserTest.submit(driver, By.id("approve"));
        waitFor(Duration.ofSeconds(20), "the run to succeed", () -> status().equals("succeeded"));
        List<WebElement> rows = driver.findElements(By.cssSelector("#step-rows tr"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).getText())
                .startsWith("1 drain shell succeeded 30s ")
                .contains(" yes 0");
        assertThat(rows.get(1).getText())
                .contains("go approval succeeded", "approved by operator-otto: checked the replica lag");
        assertThat(rows.get(2).getText())
                .startsWith("3 restart shell succeeded 10s ")
                .contains(" yes 0");
        assertThat(driver.findElement(By.id("run-total")).getText())
                .startsWith("Total succeeded 1m RTO")
                .endsWith("yes");
        assertThat(output(3)).isEqualTo("restarted web-1 (soft)\n");
        assertThat(driver.findElements(By.id("cancel"))).isEmpty();
        driver.manage().window().setSize(new Dimension(1280, 1400));
        DashboardBrowserTest.Screenshots.take(driver, "run");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get(server.url("/runbooks"));
        assertThat(driver.findElement(By.cssSelector("tr[data-runbook='rb-010'] .last-tested"))
                        .getText())
                .doesNotContain("untested")
                .doesNotContain("never");

        // from an incident: the rule's runbook first, the one for another service not at all
        database.close();
        TestServer.await(
                Duration.ofSeconds(15),
                "an open incident",
                () -> server.server
                                .incidents()
                                .list(new IncidentManager.Filter("open", null, null, 5))
                                .size()
                        == 1);
        long incident = server.server
                .incidents()
                .list(new IncidentManager.Filter("open", null, null, 5))
                .get(0)
                .id();
        driver.get(server.url("/incidents/" + incident));
        List<String> offered = driver.findElements(By.cssSelector("#run-runbook li")).stream()
                .map(e -> e.getAttribute("data-runbook"))
                .toList();
        assertThat(offered).containsExactly("rb-020", "rb-010");
        assertThat(driver.findElement(By.cssSelector("#run-runbook li[data-runbook='rb-020']"))
                        .getText())
                .contains("Fail the database over", "(named by the alert rule)");
        assertThat(driver.findElement(By.cssSelector("#run-runbook li[data-runbook='rb-010']"))
                        .getText())
                .contains("(service database)");
        assertThat(driver.findElement(By.cssSelector(".incident-facts a[href*='runbook=rb-020']"))
                        .getText())
                .isEqualTo("rb-020");
        DashboardBrowserTest.Screenshots.take(driver, "incident-runbooks");
        DashboardBrowserTest.submit(driver, By.linkText("Run rb-020…"));
        assertThat(driver.findElement(By.id("incident-context")).getText()).contains("#" + incident);
        assertThat(driver.findElements(By.cssSelector("#catalogue tr[data-runbook]")))
                .hasSize(1);
        DashboardBrowserTest.submit(driver, By.id("start-rb-020"));
        assertThat(driver.findElement(By.id("run-incident")).getText()).isEqualTo("#" + incident);
        waitFor(Duration.ofSeconds(15), "the failover to succeed", () -> status().equals("succeeded"));
        String runId = driver.getCurrentUrl().replaceAll(".*/runs/", "");
        DashboardBrowserTest.submit(driver, By.id("run-incident"));
        assertThat(driver.findElements(By.cssSelector(".timeline tr[data-kind='note']")).stream()
                        .map(WebElement::getText))
                .anyMatch(
                        t -> t.contains("runbook:rb-020") && t.contains("Runbook rb-020 run " + runId + " succeeded"));
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
                .as("the scripts load and nothing is blocked by the Content-Security-Policy")
                .filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .isEmpty();
    }

    @Test
    void aViewerSeesNoStartButtonAndIsRefusedWhenPostingAnyway() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "viewer-vic", Role.VIEWER);
        driver.get(server.url("/runbooks"));
        assertThat(driver.findElements(By.cssSelector("tr[data-runbook='rb-010']")))
                .hasSize(1);
        assertThat(driver.findElements(By.cssSelector("form[action$='/start']")))
                .isEmpty();
        assertThat(driver.findElement(By.cssSelector("tr[data-runbook='rb-010'] td.start"))
                        .getText())
                .isEqualTo("needs operator");
        String csrf = driver.findElement(By.cssSelector("form[action='/logout'] input[name='_csrf']"))
                .getAttribute("value");
        String session = driver.manage().getCookieNamed(Gate.SESSION_COOKIE).getValue();
        int before = server.server.runbooks().runs(null, 100).size();
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url("/runbooks/rb-030/start")))
                                .header("Cookie", Gate.SESSION_COOKIE + "=" + session)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(server.server.runbooks().runs(null, 100)).hasSize(before);
    }

    private static String output(int seq) {
        List<WebElement> pre = driver.findElements(By.id("output-" + seq));
        return pre.isEmpty()
                ? ""
                : pre.get(0).getText().isEmpty()
                        ? ""
                        : (String) ((JavascriptExecutor) driver)
                                .executeScript("return arguments[0].textContent", pre.get(0));
    }

    private static String status() {
        List<WebElement> s = driver.findElements(By.id("run-status"));
        return s.isEmpty() ? "" : s.get(0).getText();
    }

    private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        new WebDriverWait(driver, timeout)
                .withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }
}
