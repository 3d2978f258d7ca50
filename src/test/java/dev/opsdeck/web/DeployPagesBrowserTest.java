package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The deploy pages in real headless Chromium against a real server, deploying through a real runbook to a real HTTP
 * service ({@link DeployStack}): an operator deploys from /deploys, watches the gate and bake evidence arrive on the
 * deploy's page over the event stream (no reload while it verifies), deploys a second version, then rolls back to the
 * first by choosing it in the rollback form; the service page marks the deploys on its charts.
 */
@Tag("browser")
class DeployPagesBrowserTest {
    @TempDir
    static Path dir;

    static DeployStack stack;
    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        stack = DeployStack.start(dir);
        server = TestServer.start(dir, stack.yaml("3s"));
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (stack != null) stack.close();
    }

    @Test
    void deployWatchTheEvidenceLiveThenRollBackToAChosenVersion() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/deploys"));
        new Select(driver.findElement(By.id("deploy-service"))).selectByValue("shop");
        driver.findElement(By.id("deploy-version")).sendKeys("1.0.0");
        driver.findElement(By.id("deploy-reason")).sendKeys("first release");
        DashboardBrowserTest.submit(driver, By.id("deploy-submit"));
        assertThat(driver.getCurrentUrl()).matches(".*/deploys/dep-[0-9a-f]+");
        String first = driver.getCurrentUrl().replaceAll(".*/deploys/", "");
        ((JavascriptExecutor) driver).executeScript("window.sameDocument = true;");

        // bake samples arrive while the deploy still verifies: they came over the event stream, not a reload
        waitFor(
                Duration.ofSeconds(20),
                "bake evidence while verifying",
                () -> phases().contains("bake") && state().equals("verifying"));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.sameDocument === true"))
                .isEqualTo(true);
        assertThat(driver.findElement(By.id("deploy-live")).getText()).isEqualTo("live");
        assertThat(phases()).contains("runbook", "gate");
        int seen = rows().size();
        waitFor(Duration.ofSeconds(5), "more bake samples", () -> rows().size() > seen);
        driver.manage().window().setSize(new Dimension(1280, 1200));
        DashboardBrowserTest.Screenshots.take(driver, "deploy-live");

        // at the end the page reloads: the final state, the outcome line, the run link
        waitFor(Duration.ofSeconds(20), "the deploy to succeed", () -> state().equals("succeeded"));
        assertThat(phases()).endsWith("outcome");
        assertThat(driver.findElement(By.id("deploy-run")).getAttribute("href")).contains("/runs/run-");
        assertThat(driver.findElements(By.id("deploy-live"))).isEmpty();

        // a second version through the same form
        driver.get(server.url("/deploys"));
        new Select(driver.findElement(By.id("deploy-service"))).selectByValue("shop");
        driver.findElement(By.id("deploy-version")).sendKeys("1.1.0");
        DashboardBrowserTest.submit(driver, By.id("deploy-submit"));
        waitFor(Duration.ofSeconds(30), "the second deploy to succeed", () -> state().equals("succeeded"));
        driver.get(server.url("/deploys"));
        DashboardBrowserTest.Screenshots.take(driver, "deploys");
        assertThat(driver.findElement(By.cssSelector("#deploys tbody tr")).getText())
                .contains("shop", "1.1.0", "1.0.0", "succeeded", "operator-olga");

        // roll back, choosing the version: the form offers both, newest first, the one before preselected
        Select to = new Select(driver.findElement(By.id("rollback-to-shop")));
        assertThat(to.getOptions().stream().map(o -> o.getAttribute("value")).toList())
                .containsExactly("1.1.0", "1.0.0");
        assertThat(to.getFirstSelectedOption().getAttribute("value")).isEqualTo("1.0.0");
        to.selectByValue("1.0.0");
        driver.findElement(By.cssSelector("form[data-service='shop'] input[name='reason']"))
                .sendKeys("back to the first");
        DashboardBrowserTest.submit(driver, By.id("rollback-shop"));
        assertThat(driver.getCurrentUrl()).matches(".*/deploys/dep-[0-9a-f]+");
        waitFor(Duration.ofSeconds(30), "the rollback to succeed", () -> state().equals("succeeded"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Deploy of shop: 1.1.0 → 1.0.0");
        assertThat(driver.getPageSource()).contains("a rollback of").contains("back to the first");
        assertThat(rows().get(0).getText()).contains("approval", "rollback", "to 1.0.0 by operator-olga");
        DashboardBrowserTest.Screenshots.take(driver, "deploy");

        // the service page: the recent deploys and a marker per deploy on each chart, linking to the deploy
        driver.get(server.url("/services/shop"));
        assertThat(driver.findElements(By.cssSelector("#service-deploys tbody tr")))
                .hasSize(3);
        assertThat(driver.findElements(By.cssSelector("a.deploy-marker[href='/deploys/" + first + "']")))
                .hasSize(2);
        DashboardBrowserTest.Screenshots.take(driver, "service-deploys");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
                .as("the scripts load and nothing is blocked by the Content-Security-Policy")
                .filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .isEmpty();
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#evidence-rows tr"));
    }

    private static List<String> phases() {
        return rows().stream().map(r -> r.getAttribute("data-phase")).toList();
    }

    private static String state() {
        List<WebElement> s = driver.findElements(By.id("deploy-state"));
        return s.isEmpty() ? "" : s.get(0).getText();
    }

    private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        new WebDriverWait(driver, timeout)
                .withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }
}
