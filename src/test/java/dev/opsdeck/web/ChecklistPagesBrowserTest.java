package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The checklist pages in real headless Chromium: an operator runs a checklist from the list, attests a manual item
 * and requests a waiver for the failing one; an admin approves it and the checklist turns ready; a viewer sees all
 * of it and no form. Real checks run (a TCP port, the disk, a command), and every change is audited.
 */
@Tag("browser")
class ChecklistPagesBrowserTest {
    @TempDir
    static Path dir;

    static ServerSocket open;
    static TestServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        open = new ServerSocket(0);
        server = TestServer.start(dir, """
                  web:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h }
                checklists:
                  production:
                    title: Production readiness
                    description: Walk before every release; the export is the sign-off.
                    sections:
                      - title: Platform
                        items:
                          - { id: controllers, title: Two controllers are live, fact: cluster.nodes, params: { min: 2 }, link: "https://example.org/runbook#controllers" }
                          - { id: web.port, title: Web port answers, type: tcp, host: 127.0.0.1, port: %d }
                          - { id: disk.free, title: Data disk has room, type: disk, path: /, conditions: ["[USED_PERCENT] < 101"] }
                          - id: nofile
                            title: Open files limit is readable
                            severity: recommended
                            type: command
                            command: ["/bin/sh", "-c", "ulimit -n"]
                            conditions: ["[EXIT_CODE] == 0"]
                          - { id: metrics, title: Prometheus scrapes /metrics, severity: recommended, fact: metrics.scraped }
                      - title: People
                        items:
                          - { id: cosign, title: Cosign verification documented for every operator, manual: { expires: 30d } }
                          - { id: keys, title: Signing keys kept in the vault, severity: recommended, manual: { expires: 90d, role: admin } }
                """.formatted(open.getLocalPort(), open.getLocalPort()));
        driver = DashboardBrowserTest.startChromium(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (open != null) open.close();
    }

    @Test
    void anOperatorAttestsAndAsksForAWaiverAnAdminApprovesItAndAViewerOnlyReads() throws Exception {
        DashboardBrowserTest.signIn(driver, server, "operator-olga", Role.OPERATOR);
        driver.get(server.url("/incidents"));
        DashboardBrowserTest.submit(driver, By.linkText("Checklists"));
        assertThat(driver.findElement(By.cssSelector("tr[data-checklist='production']"))
                        .getText())
                .contains("Production readiness", "not run", "7 items, not run yet", "never run");

        DashboardBrowserTest.submit(driver, By.id("run-production"));
        assertThat(driver.findElement(By.id("checklist-notice")).getText()).startsWith("The checklist ran");
        assertThat(driver.findElement(By.id("checklist-state")).getText()).isEqualTo("not ready");
        assertThat(state("controllers")).isEqualTo("failed");
        assertThat(state("web.port")).isEqualTo("passed");
        assertThat(state("disk.free")).isEqualTo("passed");
        assertThat(state("nofile")).isEqualTo("passed");
        assertThat(state("metrics")).isEqualTo("warning");
        assertThat(state("cosign")).isEqualTo("unattested");
        assertThat(row("controllers").getText()).contains("1 live node (need 2)", "count", "1");
        assertThat(row("nofile").getText()).containsPattern("stdout\\s+([0-9]+|unlimited)");
        assertThat(row("keys").getText()).contains("attesting needs the admin role");

        row("cosign").findElement(By.cssSelector("summary")).click();
        driver.findElement(By.id("note-cosign")).sendKeys("Checked the onboarding page: cosign verify is step 3.");
        DashboardBrowserTest.submit(driver, By.id("attest-cosign"));
        assertThat(driver.findElement(By.id("checklist-notice")).getText()).startsWith("Attestation recorded");
        assertThat(state("cosign")).isEqualTo("attested");
        assertThat(row("cosign").getText())
                .contains("Attested by operator-olga", "Checked the onboarding page: cosign verify is step 3.");

        row("controllers")
                .findElement(By.xpath(".//summary[text()='Request waiver…']"))
                .click();
        driver.findElement(By.id("reason-controllers")).sendKeys("Second controller is being provisioned (OPS-412)");
        var expires = driver.findElement(By.id("expires-controllers"));
        expires.clear();
        expires.sendKeys("14d");
        DashboardBrowserTest.submit(driver, By.id("waive-controllers"));
        assertThat(driver.findElement(By.id("checklist-notice")).getText()).startsWith("Waiver requested");
        assertThat(driver.findElement(By.id("waiver-controllers")).getText())
                .contains("Waiver requested by operator-olga", "Second controller is being provisioned (OPS-412)")
                .contains("waits for approval by someone other than operator-olga");
        assertThat(driver.findElements(By.id("approve-controllers"))).isEmpty();
        assertThat(state("controllers")).isEqualTo("failed");
        driver.manage().window().setSize(new Dimension(1280, 1400));
        DashboardBrowserTest.Screenshots.take(driver, "checklist-requested");

        DashboardBrowserTest.signIn(driver, server, "admin-ada", Role.ADMIN);
        driver.get(server.url("/checklists/production"));
        DashboardBrowserTest.submit(driver, By.id("approve-controllers"));
        assertThat(driver.findElement(By.id("checklist-notice")).getText()).startsWith("Waiver approved");
        assertThat(state("controllers")).isEqualTo("waived");
        assertThat(driver.findElement(By.id("waiver-controllers")).getText())
                .contains("Waived: requested by operator-olga, approved by admin-ada");
        assertThat(driver.findElement(By.id("checklist-state")).getText()).isEqualTo("ready");
        DashboardBrowserTest.Screenshots.take(driver, "checklist");
        driver.get(server.url("/checklists"));
        assertThat(driver.findElement(By.cssSelector("tr[data-checklist='production']"))
                        .getText())
                .contains("ready", "manual by admin-ada");
        driver.manage().window().setSize(new Dimension(1280, 600));
        DashboardBrowserTest.Screenshots.take(driver, "checklists");

        DashboardBrowserTest.signIn(driver, server, "viewer-vic", Role.VIEWER);
        driver.get(server.url("/checklists/production"));
        assertThat(state("cosign")).isEqualTo("attested");
        assertThat(driver.findElements(By.cssSelector("form[action^='/checklists/']")))
                .isEmpty();

        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter(null, "checklist.", null, null, null, 10, null))
                        .stream()
                        .map(e -> e.actor() + " " + e.action()))
                .containsExactly(
                        "admin-ada checklist.waiver_approve",
                        "operator-olga checklist.waiver_request",
                        "operator-olga checklist.attest",
                        "operator-olga checklist.run");
    }

    private static WebElement row(String item) {
        return driver.findElement(By.id("item-" + item));
    }

    private static String state(String item) {
        return row(item).getAttribute("data-state");
    }
}
