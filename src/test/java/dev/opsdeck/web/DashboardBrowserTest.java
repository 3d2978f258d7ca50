package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.auth.Role;
import dev.opsdeck.gate.Gate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium against a real server whose tcp checks watch local
 * sockets: statuses render, a socket closing shows up without a reload, charts render, hostile
 * text stays text, a rejected config reload shows its banner. Leaves screenshots in
 * {@code <build dir>/screenshots/}.
 */
@Tag("browser")
class DashboardBrowserTest {
    static final String PAYLOAD = "<script>alert(1)</script>";

    @TempDir
    static Path dir;

    static LocalTarget database;
    static LocalTarget api;
    static LocalTarget web;
    static LocalTarget hostile;
    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        database = LocalTarget.open();
        api = LocalTarget.open();
        web = LocalTarget.open();
        hostile = LocalTarget.replying(PAYLOAD);
        server = TestServer.start(
                dir, """
                  database:
                    description: Primary PostgreSQL
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 300ms, timeout: 1s }
                  api:
                    description: Public REST API
                    depends_on: [database]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s }
                  web:
                    description: Web front end
                    depends_on: [api]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 300ms, timeout: 1s }
                  cache:
                    description: Always degraded, for the screenshot
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 500ms, timeout: 1s, degraded_when: ["[CONNECTED] == true"] }
                  batch:
                    description: No checks yet
                  hostile:
                    description: "%s"
                    checks:
                      echo: { type: tcp, host: 127.0.0.1, port: %d, send: "hello", expect: pong, interval: 500ms, timeout: 1s }
                """.formatted(database.port(), api.port(), web.port(), database.port(), PAYLOAD, hostile.port()));
        long now = System.currentTimeMillis();
        HistorySeed.day(server.server.writer(), "database/port", now, 0);
        HistorySeed.day(server.server.writer(), "api/port", now, 25);
        HistorySeed.day(server.server.writer(), "web/port", now, 25);
        driver = startChromium(dir);
        signIn(driver, server, "operator-olga", Role.OPERATOR);
    }

    /** Puts a session cookie for a new user into the browser (cookies can only be set on the site's own page). */
    /**
     * Clicks something that loads a new page (a link, a form's button) and waits for that page: the old one goes
     * stale and the new one has finished loading. Reading right after a plain click can see either page.
     */
    /**
     * Clicks a button that submits a form and waits for the next page to finish loading. The wait marks the current
     * page's window and waits for a page without the mark: Chromium may answer a staleness probe on the old page's
     * element with "Node with given id does not belong to the document" instead of a stale-element error while the
     * navigation is under way, so any driver error during the wait means "not there yet".
     */
    static void submit(ChromeDriver driver, By button) {
        driver.executeScript("window.opsdeckBeforeSubmit = true");
        driver.findElement(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class)
                .until(
                        d -> Boolean.TRUE.equals(
                                ((JavascriptExecutor) d)
                                        .executeScript(
                                                "return window.opsdeckBeforeSubmit === undefined && document.readyState === 'complete'")));
    }

    static void signIn(ChromeDriver driver, TestServer server, String name, Role role) {
        driver.get(server.url("/login"));
        driver.manage().addCookie(new Cookie(Gate.SESSION_COOKIE, server.session(name, role)));
    }

    static ChromeDriver startChromium(Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        assertThat(Files.isExecutable(chromium) && Files.isExecutable(chromedriver))
                .as("this test needs Chromium: apt-get install -y chromium chromium-driver")
                .isTrue();
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toString());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        return new ChromeDriver(options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        for (LocalTarget t : new LocalTarget[] {database, api, web, hostile}) {
            if (t != null) t.close();
        }
    }

    @Test
    void overviewGoesLiveShowsChangesWithoutReloadAndKeepsHostileTextAsText() throws Exception {
        driver.manage().logs().get(LogType.BROWSER); // drop what other tests logged
        driver.get(server.url("/"));
        waitFor(
                Duration.ofSeconds(10),
                "api up, hostile down",
                () -> statusOf("api").equals("up")
                        && statusOf("hostile").equals("down")
                        && statusOf("cache").equals("degraded"));
        assertThat(statusOf("batch")).isEqualTo("unknown");
        assertThat(rowNames()).as("problems first").startsWith("hostile", "cache", "batch");
        waitFor(
                Duration.ofSeconds(5),
                "the live indicator says live (SSE connected)",
                () -> driver.findElement(By.id("live-indicator")).getText().equals("live"));

        // hostile text: shown literally, never run
        WebElement hostileRow = row("hostile");
        assertThat(hostileRow.findElement(By.cssSelector("td.message")).getText())
                .contains(PAYLOAD);
        assertThat(hostileRow.findElement(By.cssSelector("td.name")).getText()).contains(PAYLOAD);
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(js("return document.querySelectorAll('script').length")).isEqualTo(2L);

        // sparklines come from the store: the seeded outage of api shows as failed minutes
        assertThat(row("api").findElements(By.cssSelector("svg.spark rect.fail")))
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(row("database")
                        .findElement(By.cssSelector("svg.spark path.line"))
                        .getAttribute("d"))
                .contains(" L");

        // the api socket goes away: the page changes in place, no navigation
        js("window.__sameDocument = 'yes'");
        api.close();
        web.close(); // web fails with it, and is shown as impacted by api, the root cause
        long closedAt = System.nanoTime();
        waitFor(
                Duration.ofSeconds(4),
                "api shows down without a reload",
                () -> statusOf("api").equals("down"));
        long tookMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertThat(js("return window.__sameDocument")).isEqualTo("yes");
        assertThat(tookMs)
                .as("well before the 5 s poll fallback would have fired")
                .isLessThan(4_000);
        waitFor(
                Duration.ofSeconds(3),
                "web impacted by api",
                () -> row("web")
                        .findElement(By.cssSelector(".impact"))
                        .getText()
                        .equals("impacted by api"));
        assertThat(driver.findElement(By.cssSelector("#statusbar .pill-down b")).getText())
                .isEqualTo("3");

        // a broken config reload: the banner appears, live, with file:line:col
        Files.writeString(server.config, "  broken: { checks: { x: { type: nosuch } } }\n", StandardOpenOption.APPEND);
        waitFor(
                Duration.ofSeconds(5),
                "the rejected-reload banner",
                () -> !driver.findElements(By.cssSelector("#statusbar .banner")).isEmpty());
        String banner = driver.findElement(By.cssSelector("#statusbar .banner")).getText();
        assertThat(banner)
                .contains("the previous configuration keeps running")
                .containsPattern("opsdeck\\.yaml:\\d+:\\d+");
        assertThat(js("return window.__sameDocument")).isEqualTo("yes");
        assertThat(driver.findElements(By.id("statusbar")))
                .as("the status bar was replaced, not added")
                .hasSize(1);
        Thread.sleep(300); // sparklines fill in with the next refresh
        Screenshots.take(driver, "overview");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
                .as("no script errors and nothing blocked by the Content-Security-Policy")
                .filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .extracting(LogEntry::getMessage)
                .isEmpty();
        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        Screenshots.take(driver, "overview-dark");
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));

        driver.manage().window().setSize(new Dimension(390, 1400));
        driver.navigate().refresh();
        waitFor(Duration.ofSeconds(5), "rows after resize", () -> !rowNames().isEmpty());
        Screenshots.take(driver, "overview-narrow");
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    void servicePageRendersTheHistoryChartAndLinksItsDependencies() throws Exception {
        waitFor(
                Duration.ofSeconds(10),
                "database has results",
                () -> server.server.engine().services().stream()
                        .anyMatch(s -> s.name().equals("database")
                                && s.status().label().equals("up")));
        driver.get(server.url("/services/web?window=1h"));
        WebElement chart = driver.findElement(By.cssSelector("svg[data-chart='history']"));
        assertThat(chart.findElements(By.cssSelector("rect.seg"))).isNotEmpty();
        waitFor(
                Duration.ofSeconds(5),
                "the latency line",
                () -> !driver.findElements(By.cssSelector("svg[data-chart='history'] path.line"))
                        .isEmpty());
        assertThat(driver.findElement(By.cssSelector(".windows .current")).getText())
                .isEqualTo("1h");
        assertThat(driver.findElement(By.cssSelector(".relations")).getText()).contains("api");
        assertThat(driver.findElement(By.cssSelector("tr[data-check='port']")).getText())
                .contains("tcp every 300 ms");
        Screenshots.take(driver, "service");
        driver.findElement(By.linkText("24h")).click();
        assertThat(driver.findElement(By.cssSelector(".windows .current")).getText())
                .isEqualTo("24h");
        assertThat(driver.findElements(By.cssSelector("svg[data-chart='history'] rect.seg-down")))
                .isNotEmpty();
        Screenshots.take(driver, "service-24h");
        driver.manage().window().setSize(new Dimension(390, 1400));
        Screenshots.take(driver, "service-narrow");
        driver.manage().window().setSize(new Dimension(1280, 1000));

        driver.findElement(By.linkText("api")).click();
        waitFor(
                Duration.ofSeconds(5),
                "the api page",
                () -> driver.getCurrentUrl().endsWith("/services/api"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).contains("api");
        driver.findElement(By.linkText("30d")).click();
        assertThat(driver.findElement(By.cssSelector("svg[data-chart='history']"))
                        .isDisplayed())
                .isTrue();

        driver.get(server.url("/services/nothing-here"));
        assertThat(driver.findElement(By.cssSelector("h1")).getText()).isEqualTo("No service named nothing-here");
    }

    private static String statusOf(String service) {
        return row(service).findElement(By.cssSelector(".pill")).getText();
    }

    private static WebElement row(String service) {
        return driver.findElement(By.cssSelector("tr[data-service='" + service + "']"));
    }

    private static List<String> rowNames() {
        return driver.findElements(By.cssSelector("tr[data-service]")).stream()
                .map(e -> e.getAttribute("data-service"))
                .toList();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Polls; element lookups may hit a row that htmx is just swapping out, which counts as not yet. */
    private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .withMessage(what)
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    /** Screenshots into the build directory, for people to look at. */
    static final class Screenshots {
        static void take(ChromeDriver driver, String name) throws Exception {
            Path testClasses = Path.of(DashboardBrowserTest.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path out = testClasses.getParent().resolve("screenshots");
            Files.createDirectories(out);
            Files.write(out.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        }
    }
}
