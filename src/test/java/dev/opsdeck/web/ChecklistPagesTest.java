package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import dev.opsdeck.checklist.ChecklistRun;
import dev.opsdeck.checklist.ItemState;
import dev.opsdeck.gate.Gate;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /checklists} and {@code /checklists/{name}} on a real server with real checks (an open and a closed TCP
 * port, the root file system) and manual items: what a viewer, a responder, an operator and an admin see and may
 * do; a viewer's POST is refused; bad waiver input comes back with what was typed; approving one's own waiver is
 * refused and audited as denied.
 */
@Tag("server")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChecklistPagesTest {
    @TempDir
    static Path dir;

    static ServerSocket open;
    static TestServer server;

    /** Items in two sections: two that pass, a closed port (required), a disk warning, two manual ones. */
    static String config(int port) {
        return """
                  web:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h }
                checklists:
                  production:
                    title: Production readiness
                    description: What must hold before going live.
                    sections:
                      - title: Network
                        items:
                          - { id: web.port, title: Web port answers, check: web/port, link: "https://example.org/why#port" }
                          - { id: admin.closed, title: Admin port reachable, type: tcp, host: 127.0.0.1, port: 9, timeout: 1s, link: "javascript:alert(1)" }
                          - { id: disk.free, title: Disk has room, severity: recommended, type: disk, path: /, conditions: ["[USED_PERCENT] > 101"] }
                      - title: People
                        items:
                          - { id: cosign, title: Cosign verification documented, manual: { expires: 30d } }
                          - { id: keys, title: Signing keys in the vault, manual: { expires: 90d, role: admin } }
                """.formatted(port);
    }

    @BeforeAll
    static void start() throws Exception {
        open = new ServerSocket(0);
        server = TestServer.start(dir, config(open.getLocalPort()));
        TestServer.await(
                Duration.ofSeconds(10),
                "the web check's first result",
                () -> server.server.engine().services().stream()
                        .anyMatch(s -> s.checks().stream().anyMatch(c -> c.lastAtMs() > 0)));
        server.server.checklists().run("production", ChecklistRun.SCHEDULE, ChecklistRun.SCHEDULE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (open != null) open.close();
    }

    @Test
    @Order(1)
    void aViewerSeesScoreStatesAndEvidenceButNoFormsAndCannotPost() throws Exception {
        User viewer = User.of("viewer-vic", Role.VIEWER);
        String list = viewer.get("/checklists").body();
        assertThat(list)
                .contains("<a href=\"/checklists/production\">Production readiness</a>")
                .contains("<td class=\"num score\" data-label=\"Score\">22/100</td>")
                .contains("<span class=\"pill pill-down\">not ready</span>")
                .contains("<span class=\"pill pill-up\" data-state=\"passed\">1 passed</span>")
                .contains("data-state=\"failed\">1 failed</span>")
                .contains("data-state=\"warning\">1 warning</span>")
                .contains("data-state=\"unattested\">2 unattested</span>")
                .contains("(schedule, ")
                .doesNotContain("Run now");
        assertThat(viewer.get("/").body()).contains("<a href=\"/checklists\">Checklists</a>");

        String page = viewer.get("/checklists/production").body();
        assertThat(page)
                .contains("<h2>Network</h2>", "<h2>People</h2>")
                .contains("<a href=\"/api/v1/checklists/production/export?format=md\" id=\"export-md\">")
                .contains("<a href=\"https://example.org/why#port\" rel=\"noopener noreferrer\">Why and how to fix</a>")
                // a link that is not http(s) or a path is shown as text, never as a link
                .contains("<span class=\"muted\">Why and how: </span>javascript:alert(1)")
                .doesNotContain("href=\"javascript:")
                .contains("<dt>check</dt><dd class=\"mono\">web/port</dd>")
                .contains("<dt>status</dt><dd class=\"mono\">down</dd>")
                .contains("last 1 runs: 1 passed")
                .contains("Not attested yet.")
                .doesNotContain("<form method=\"post\" action=\"/checklists/production/")
                .doesNotContain("Request waiver");
        // what needs action is listed first, in configuration order, the passing item is not
        String needs = page.substring(page.indexOf("id=\"needs-action\""), page.indexOf("<h2>Network</h2>"));
        assertThat(needs).contains("(4)").doesNotContain("Web port answers");
        assertThat(needs.indexOf("Admin port reachable")).isLessThan(needs.indexOf("Disk has room"));
        assertThat(needs.indexOf("Disk has room")).isLessThan(needs.indexOf("Cosign verification documented"));

        assertThat(viewer.post("/checklists/production/run", "").statusCode()).isEqualTo(403);
        assertThat(viewer.post("/checklists/production/items/cosign/attest", "note=looked")
                        .statusCode())
                .isEqualTo(403);
        assertThat(server.server.checklists().attesting().attestations("production"))
                .isEmpty();
        assertThat(viewer.get("/checklists/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aResponderRunsAndAttestsWhatTheirRoleAllowsButCannotWaive() throws Exception {
        User responder = User.of("responder-rita", Role.RESPONDER);
        String page = responder.get("/checklists/production").body();
        assertThat(page)
                .contains("id=\"run-now\"", "id=\"attest-cosign\"")
                .doesNotContain("id=\"attest-keys\"")
                .contains("attesting needs the admin role")
                .doesNotContain("Request waiver");
        HttpResponse<String> keys = responder.post("/checklists/production/items/keys/attest", "note=seen");
        assertThat(keys.statusCode()).isEqualTo(403);
        assertThat(keys.body())
                .contains(
                        "<p class=\"notice error\" id=\"checklist-error\">attesting 'keys' needs the admin role or above</p>");
        assertThat(responder
                        .post("/checklists/production/items/admin.closed/waivers", "reason=x&expires=1d")
                        .statusCode())
                .isEqualTo(403);
        assertThat(responder
                        .post("/checklists/production/items/cosign/attest", "note=")
                        .statusCode())
                .isEqualTo(400);
        assertThat(responder.get("/checklists/production").body()).contains("Not attested yet.");
        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter("responder-rita", "checklist.", null, null, null, 10, null))
                        .stream()
                        .map(e -> e.action() + " " + e.outcome()))
                .contains("checklist.attest " + AuditLog.DENIED);
    }

    @Test
    @Order(3)
    void anOperatorsWaiverIsApprovedByAnAdminNotByThemselves() throws Exception {
        User operator = User.of("operator-olga", Role.OPERATOR);
        HttpResponse<String> bad = operator.post(
                "/checklists/production/items/disk.free/waivers", "reason=New+disk+on+order&expires=forever");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body())
                .contains("id=\"checklist-error\">expires: expected a duration such as 30d, got 'forever'</p>")
                .contains("value=\"New disk on order\"")
                .contains("<details open>");

        HttpResponse<String> asked =
                operator.post("/checklists/production/items/disk.free/waivers", "reason=New+disk+on+order&expires=7d");
        assertThat(asked.statusCode()).isEqualTo(303);
        String page = operator.get("/checklists/production?done=waiver").body();
        assertThat(page)
                .contains("Waiver requested; it counts once someone else approves it.")
                .contains("<b>Waiver requested</b> by operator-olga")
                .contains("waits for approval by someone other than operator-olga")
                .doesNotContain("id=\"approve-disk.free\"");
        String id = server.server
                .checklists()
                .attesting()
                .waivers("production")
                .getFirst()
                .id();
        HttpResponse<String> own = operator.post("/checklists/production/waivers/" + id + "/approve", "");
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("a waiver is approved by someone other than its requester");

        User admin = User.of("admin-ada", Role.ADMIN);
        assertThat(admin.get("/checklists/production").body()).contains("id=\"approve-disk.free\"");
        assertThat(admin.post("/checklists/production/waivers/" + id + "/approve", "")
                        .statusCode())
                .isEqualTo(303);
        var detail = server.server.checklists().show("production");
        assertThat(detail.items().stream()
                        .filter(v -> v.item().id().equals("disk.free"))
                        .findFirst()
                        .orElseThrow()
                        .latest()
                        .state())
                .isEqualTo(ItemState.WAIVED);
        assertThat(admin.get("/checklists/production").body())
                .contains("<b>Waived</b>: requested by operator-olga, approved by admin-ada");
        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter(null, "checklist.waiver", null, null, null, 10, null))
                        .stream()
                        .map(e -> e.actor() + " " + e.action() + " " + e.outcome() + " " + e.target()))
                .contains(
                        "operator-olga checklist.waiver_request ok checklist:production/disk.free",
                        "operator-olga checklist.waiver_approve denied checklist:production/" + id,
                        "admin-ada checklist.waiver_approve ok checklist:production/disk.free");
    }

    /** A signed-in browser without a browser: its session cookie and the CSRF token its forms carry. */
    private record User(String cookie, String csrf) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        static User of(String name, Role role) {
            var users = server.server.access().users();
            if (users.find(name).isEmpty())
                users.create(name, role, "correct horse battery staple " + name.length(), false);
            var created = server.server.access().sessions().create(name);
            return new User(created.token(), created.session().csrfToken());
        }

        HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(server.url(path)))
                            .header("Cookie", Gate.SESSION_COOKIE + "=" + cookie)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** A form POST with the session's CSRF token added, as the page's forms send it. */
        HttpResponse<String> post(String path, String form) throws Exception {
            String body =
                    "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + (form.isEmpty() ? "" : "&" + form);
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(server.url(path)))
                            .header("Cookie", Gate.SESSION_COOKIE + "=" + cookie)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
