package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A newcomer's first minutes in real Chromium: the sign-in form, the forced password change, the
 * overview, an API key made on the account page; and hostile text typed into the sign-in form
 * shown as text on the audit page.
 */
class SignInBrowserTest {
    static final String PAYLOAD = "<img src=x onerror=\"document.title='pwned'\">";

    @TempDir
    static Path dir;

    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(
                dir, "  api:\n    checks:\n      ping: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }\n");
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    @Test
    void firstSignInForcesAPasswordChangeThenShowsTheDashboardAndMakesAnApiKey() throws Exception {
        String initial = Files.readString(dir.resolve("data").resolve("initial-admin-password"))
                .strip();
        driver.manage().deleteAllCookies();
        driver.get(server.url("/"));
        await("the sign-in form", () -> driver.getCurrentUrl().contains("/login"));
        DashboardBrowserTest.Screenshots.take(driver, "login");
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys("wrong password");
        driver.findElement(By.cssSelector("form[action='/login'] button")).click();
        await("the error", () -> driver.getPageSource().contains("Wrong user name or password."));

        driver.findElement(By.id("password")).sendKeys(initial);
        driver.findElement(By.cssSelector("form[action='/login'] button")).click();
        await("the forced password change", () -> driver.getCurrentUrl().endsWith("/account/password"));
        DashboardBrowserTest.Screenshots.take(driver, "password-change");
        driver.findElement(By.id("current")).sendKeys(initial);
        driver.findElement(By.id("next")).sendKeys("my own long passphrase");
        driver.findElement(By.id("confirm")).sendKeys("my own long passphrase");
        driver.findElement(By.cssSelector("form[action='/account/password'] button"))
                .click();
        await(
                "the overview",
                () -> !driver.findElements(By.cssSelector("tr[data-service='api']"))
                        .isEmpty());
        assertThat(driver.findElement(By.cssSelector(".who-name")).getText())
                .contains("admin")
                .contains("admin");
        assertThat(dir.resolve("data").resolve("initial-admin-password")).doesNotExist();

        driver.get(server.url("/account"));
        driver.findElement(By.id("key-name")).sendKeys("ci-deploy");
        new Select(driver.findElement(By.id("key-role"))).selectByValue("operator");
        driver.findElement(By.cssSelector("form[action='/account/apikeys'] button"))
                .click();
        await("the new secret", () -> !driver.findElements(By.id("new-secret")).isEmpty());
        String secret = driver.findElement(By.id("new-secret")).getText();
        assertThat(secret).startsWith("odk_");
        assertThat(server.server.access().apiKeys().authenticate(secret, "127.0.0.1"))
                .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.OPERATOR));
        DashboardBrowserTest.Screenshots.take(driver, "account");

        driver.findElement(By.cssSelector("form[action='/logout'] button")).click();
        await("signed out", () -> driver.getCurrentUrl().contains("/login"));
        driver.get(server.url("/"));
        await("sent to sign in again", () -> driver.getCurrentUrl().contains("/login"));
    }

    @Test
    void hostileTextFromTheSignInFormIsShownAsTextOnTheAuditPage() throws Exception {
        driver.manage().deleteAllCookies();
        driver.get(server.url("/login"));
        driver.findElement(By.id("username")).sendKeys(PAYLOAD);
        driver.findElement(By.id("password")).sendKeys("whatever it is");
        driver.findElement(By.cssSelector("form[action='/login'] button")).click();
        await("the error", () -> driver.getPageSource().contains("Wrong user name or password."));
        assertThat(driver.findElement(By.id("username")).getAttribute("value")).isEqualTo(PAYLOAD);

        DashboardBrowserTest.signIn(driver, server, "auditor-ada", Role.ADMIN);
        driver.get(server.url("/audit?action=auth.login_failed"));
        await("the audit table", () -> driver.getPageSource().contains("auth.login_failed"));
        assertThat(driver.findElement(By.cssSelector("table")).getText()).contains(PAYLOAD);
        assertThat(driver.findElements(By.cssSelector("table img")))
                .as("no element made from the payload")
                .isEmpty();
        assertThat(driver.getTitle()).doesNotContain("pwned");
        DashboardBrowserTest.Screenshots.take(driver, "audit");
    }

    private static void await(String what, BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .withMessage(() -> what + "; page at " + driver.getCurrentUrl() + ":\n" + driver.getPageSource())
                .until(d -> condition.getAsBoolean());
    }
}
