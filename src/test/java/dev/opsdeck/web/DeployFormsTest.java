package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Role;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployStore;
import dev.opsdeck.gate.Gate;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy forms over HTTP on a real server, with a real runbook deploying to a real HTTP service ({@link
 * DeployStack}): an operator deploys and the deploy's page shows its evidence; a viewer sees no form and is refused;
 * a POST without the CSRF token is refused; a freeze, one deploy at a time, an unknown version and four eyes come back
 * as clear messages with nothing stored; a failing response body shows as text; the service page lists and marks the
 * deploys; the deploy event stream sends the evidence.
 */
@Tag("server")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployFormsTest {
    @TempDir
    static Path dir;

    static DeployStack stack;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        stack = DeployStack.start(dir);
        server = TestServer.start(dir, stack.yaml("600ms"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (stack != null) stack.close();
    }

    static List<Deploy> stored() {
        return server.server.deploys().list(new DeployStore.Filter(null, null, null, null, 1000, 0));
    }

    static Deploy awaitEnd(String id) throws InterruptedException {
        TestServer.await(
                Duration.ofSeconds(30),
                "deploy " + id + " to end",
                () -> server.server.deploys().find(id).orElseThrow().state().isFinal());
        return server.server.deploys().find(id).orElseThrow();
    }

    static String deployed(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/deploys/dep-[0-9a-f]+");
        return location.substring("/deploys/".length());
    }

    @Test
    @Order(1)
    void anOperatorDeploysAndTheDeployPageShowsTheEvidence() throws Exception {
        User olga = User.of("operator-olga", Role.OPERATOR);
        String form = olga.get("/deploys").body();
        assertThat(form)
                .contains("id=\"deploy-form\"")
                .contains("<option value=\"shop\"")
                .contains("<option value=\"guarded\"");
        String id = deployed(olga.post("/deploys/start", "service=shop&version=1.0.0&reason=first+release"));
        Deploy first = awaitEnd(id);
        assertThat(first.state().label()).isEqualTo("succeeded");
        assertThat(first.actor()).isEqualTo("operator-olga");

        String page = olga.get("/deploys/" + id).body();
        assertThat(page)
                .contains("<span id=\"deploy-state\" class=\"pill pill-up\">succeeded</span>")
                .contains("href=\"/runs/" + first.runId() + "\"")
                .contains("first release")
                .contains("data-phase=\"gate\"")
                .contains("data-phase=\"bake\"")
                .contains("data-phase=\"outcome\"")
                .contains("version 1.0.0 passed the gate and baked for ")
                .doesNotContain("deploy.js"); // a final deploy needs no live stream
        // the change log links each row to its page, and the audit log has the start
        assertThat(olga.get("/deploys").body()).contains("<a href=\"/deploys/" + id + "\">" + id + "</a>");
        assertThat(server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter(null, "deploy.start", null, null, null, 10, null))
                        .stream()
                        .map(e -> e.actor() + " " + e.outcome()))
                .contains("operator-olga ok");

        // the second deploy: 1.0.0 becomes the previous version, and the rollback form offers both
        String second = deployed(olga.post("/deploys/start", "service=shop&version=1.1.0"));
        assertThat(awaitEnd(second).previousVersion()).isEqualTo("1.0.0");
        String secondPage = olga.get("/deploys/" + second).body();
        assertThat(secondPage)
                .contains("<option value=\"1.0.0\" selected>")
                .contains("<option value=\"1.1.0\">1.1.0 · ")
                .contains("(last successful)");
    }

    @Test
    @Order(2)
    void aBakeFailureIsRolledBackAndAFailingBodyShowsAsText() throws Exception {
        User olga = User.of("operator-olga", Role.OPERATOR);
        String bad = deployed(olga.post("/deploys/start", "service=shop&version=2.0.0"));
        assertThat(awaitEnd(bad).state().label()).isEqualTo("rolled_back");
        String never = deployed(olga.post("/deploys/start", "service=shop&version=3.0.0"));
        assertThat(awaitEnd(never).state().label()).isEqualTo("rolled_back");
        String page = olga.get("/deploys/" + never).body();
        assertThat(page)
                .contains("<summary>response body</summary>")
                .contains("&lt;script&gt;alert(")
                .doesNotContain(DeployStack.PAYLOAD)
                .contains("data-passed=\"failed\"")
                .contains("rolled back to 1.1.0");

        // the service page: its recent deploys, newest first, the change log link, and a marker per deploy
        String service = olga.get("/services/shop").body();
        assertThat(service)
                .contains("id=\"service-deploys\"")
                .contains("<a href=\"/deploys/" + never + "\">3.0.0</a>")
                .contains("href=\"/deploys?service=shop\" id=\"change-log-link\"");
        assertThat(service.split("class=\"deploy-marker marker-failed\"", -1))
                .hasSize(1 + 2 * 2); // two failed deploys, on each of the two charts
        assertThat(service).contains("class=\"deploy-marker marker-ok\"");
        assertThat(olga.get("/services/frozen").body()).doesNotContain("id=\"service-deploys\"");
    }

    @Test
    @Order(3)
    void refusalsAreClearMessagesAndStoreNothing() throws Exception {
        User olga = User.of("operator-olga", Role.OPERATOR);
        int before = stored().size();

        HttpResponse<String> frozen = olga.post("/deploys/start", "service=frozen&version=1.0.0");
        assertThat(frozen.statusCode()).isEqualTo(409);
        assertThat(frozen.body())
                .contains("Deploys of frozen are frozen: freeze window always; to deploy anyway, override the freeze"
                        + " with a reason.")
                .contains("id=\"deploy-override\"")
                .contains("<option value=\"frozen\" selected>");
        HttpResponse<String> noReason = olga.post("/deploys/start", "service=frozen&version=1.0.0&override_freeze=on");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body())
                .contains("Overriding the freeze (freeze window always) needs a reason.")
                .contains("id=\"deploy-override\"");

        HttpResponse<String> badVersion = olga.post("/deploys/start", "service=shop&version=1.0%3B+rm+-rf+%2F");
        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(badVersion.body())
                .contains("Version: expected a tag, image or commit (letters, digits, . _ : / @ + -; at most 200),"
                        + " got ")
                .contains("1.0; rm -rf /");
        HttpResponse<String> unknown = olga.post("/deploys/start", "service=nope&version=1.0.0");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("No service ").contains("; services with deploys: shop, frozen, guarded.");

        HttpResponse<String> neverShipped = olga.post("/deploys/rollback", "service=shop&to=7.7.7");
        assertThat(neverShipped.statusCode()).isEqualTo(400);
        assertThat(neverShipped.body())
                .contains("Version 7.7.7 of shop never succeeded here; recent successful versions: 1.1.0, 1.0.0.");
        assertThat(stored()).hasSize(before);

        // with a reason the override goes through, and is audited
        String over = deployed(
                olga.post("/deploys/start", "service=frozen&version=1.0.0&override_freeze=on&reason=hotfix+for+%2312"));
        awaitEnd(over);
        assertThat(olga.get("/deploys/" + over).body()).contains("freeze overridden (freeze window always): hotfix");
        assertThat(server.server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter(null, "deploy.freeze_override", null, null, null, 10, null)))
                .hasSize(1);
    }

    @Test
    @Order(4)
    void approvalsNeedASecondOperatorAndOneDeployAtATime() throws Exception {
        User olga = User.of("operator-olga", Role.OPERATOR);
        User otto = User.of("operator-otto", Role.OPERATOR);
        User rick = User.of("responder-rick", Role.RESPONDER);
        String id = deployed(olga.post("/deploys/start", "service=guarded&version=1.0.0"));
        String pending = olga.get("/deploys/" + id).body();
        assertThat(pending)
                .contains(">pending</span>")
                .contains("This deploy starts once another person with the operator role approves it")
                .contains("id=\"approve\"")
                .contains("id=\"cancel\"")
                .contains("deploy.js");

        HttpResponse<String> again = otto.post("/deploys/start", "service=guarded&version=1.1.0");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body())
                .contains("A deploy of guarded is already pending (" + id
                        + ", version 1.0.0); one at a time: wait for it or cancel it.");

        HttpResponse<String> self = olga.post("/deploys/" + id + "/approve", "reason=mine");
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(self.body()).contains("Deploys of guarded need a second person: the one who asked cannot approve.");
        HttpResponse<String> responder = rick.post("/deploys/" + id + "/approve", "");
        assertThat(responder.statusCode()).isEqualTo(403);
        assertThat(responder.body()).contains("Deploys of guarded need the operator role to approve or reject.");
        assertThat(server.server.deploys().find(id).orElseThrow().state().label())
                .isEqualTo("pending");

        assertThat(otto.post("/deploys/" + id + "/approve", "reason=looks+fine").statusCode())
                .isEqualTo(303);
        Deploy done = awaitEnd(id);
        assertThat(done.state().label()).isIn("succeeded", "failed");
        assertThat(olga.get("/deploys/" + id).body()).contains("approved by operator-otto: looks fine");
    }

    @Test
    @Order(5)
    void aViewerSeesNoFormAndTheirPostIsRefusedAsIsOneWithoutTheCsrfToken() throws Exception {
        User vera = User.of("viewer-vera", Role.VIEWER);
        String id = stored().get(0).id();
        assertThat(vera.get("/deploys").body())
                .contains("<table id=\"deploys\"")
                .doesNotContain("deploy-form")
                .doesNotContain("rollback-form");
        assertThat(vera.get("/deploys/" + id).body())
                .doesNotContain("rollback-form")
                .doesNotContain("id=\"cancel\"");
        int before = stored().size();
        assertThat(vera.post("/deploys/start", "service=shop&version=1.0.0").statusCode())
                .isEqualTo(403);
        assertThat(vera.post("/deploys/rollback", "service=shop&to=1.0.0").statusCode())
                .isEqualTo(403);
        User rick = User.of("responder-rick", Role.RESPONDER);
        assertThat(rick.post("/deploys/start", "service=shop&version=1.0.0").statusCode())
                .isEqualTo(403);
        User olga = User.of("operator-olga", Role.OPERATOR);
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url("/deploys/start")))
                                .header("Cookie", Gate.SESSION_COOKIE + "=" + olga.cookie())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("service=shop&version=1.0.0"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("missing or wrong CSRF token");
        assertThat(stored()).hasSize(before);
    }

    @Test
    @Order(6)
    void theEventStreamSendsTheEvidenceAfterTheGivenLineAndTheEnd() throws Exception {
        Deploy d = stored().stream()
                .filter(x -> x.service().equals("shop") && x.version().equals("1.0.0"))
                .findFirst()
                .orElseThrow();
        int lines = server.server.deploys().evidence(d.id(), 0).size();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> all = http.send(
                HttpRequest.newBuilder(URI.create(server.url("/api/v1/deploys/" + d.id() + "/events?after=2")))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body().split("event: evidence", -1)).hasSize(lines - 2 + 1);
        assertThat(all.body())
                .doesNotContain("\"seq\":2,")
                .contains("id: 3\n")
                .contains("event: end")
                .contains("\"state\":\"succeeded\"");
        HttpResponse<String> plain = http.send(
                HttpRequest.newBuilder(URI.create(server.url("/api/v1/deploys/" + d.id() + "/events")))
                        .header("Authorization", "Bearer " + server.token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(406);
        HttpResponse<String> bad = http.send(
                HttpRequest.newBuilder(URI.create(server.url("/api/v1/deploys/" + d.id() + "/events?after=x")))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("expected an evidence line number");
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create(server.url("/api/v1/deploys/dep-000000000000/events")))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(server.get("/deploys/dep-000000000000").statusCode()).isEqualTo(404);
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
