package dev.opsdeck.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.auth.Role;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http, sql, check, wait, approval, notify, runbook and sleep steps against real things: an HTTP server, the
 * PostgreSQL at 127.0.0.1:5432, a configured check.
 */
class StepTypesTest {
    @TempDir
    Path dir;

    HttpServer http;
    volatile String health = "{\"status\": \"starting\"}";

    @BeforeEach
    void serve() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/health", x -> {
            byte[] body = health.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        http.createContext("/slow", x -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                // the server stops
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private RunbookFixture fixture(String runbooks) throws Exception {
        return new RunbookFixture(dir, """
                services:
                  api:
                    checks:
                      health: { type: http, url: "%s/health", conditions: ["[BODY].status == healthy"], interval: 1h }
                channels: { ops: { type: webhook, url: "http://127.0.0.1:9/hook" } }
                datasources:
                  test: { url: "postgresql://postgres@127.0.0.1:5432/test" }
                runbooks:
                """.formatted(base()) + runbooks);
    }

    @Test
    void httpStepsAssertWithConditionsAndTimeOutPrecisely() throws Exception {
        try (RunbookFixture f = fixture("""
                  web:
                    params: { path: { default: health } }
                    steps:
                      - { id: ok, type: http, url: "%1$s/{{params.path}}", conditions: ["[STATUS] == 200", "[BODY].status == starting"] }
                      - { id: wrong, type: http, url: "%1$s/health", conditions: ["[BODY].status == healthy"], on_failure: continue }
                      - { id: slow, type: http, url: "%1$s/slow", timeout: 500ms, on_failure: continue }
                      - { id: refused, type: http, url: "http://127.0.0.1:9/", timeout: 2s }
                """.formatted(base()))) {
            Run run = f.await(f.runbooks.start("web", Map.of(), "alice", null).id());
            assertThat(f.step(run.id(), "ok").status()).isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "ok").extracted()).containsEntry("http_status", "200");
            assertThat(f.step(run.id(), "wrong").message())
                    .isEqualTo("[BODY].status: expected healthy, got \"starting\"");
            assertThat(f.step(run.id(), "slow").message()).isEqualTo("timed out after 500ms");
            assertThat(f.step(run.id(), "refused").message()).startsWith("connection refused");
            assertThat(run.status()).isEqualTo(Run.Status.FAILED);
        }
    }

    @Test
    void sqlStepsBindArgumentsAndNameErrors() throws Exception {
        try (RunbookFixture f = fixture("""
                  sql:
                    params: { name: { default: "x'; DROP TABLE pg_class; --" } }
                    steps:
                      - { id: echo, type: sql, datasource: test, query: "SELECT length(?) AS n", args: ["{{params.name}}"], conditions: ["[VALUE] == 27", "[ROWS] == 1"] }
                      - { id: bad, type: sql, datasource: test, query: "SELEC 1", on_failure: continue }
                      - { id: none, type: sql, datasource: test, query: "SELECT 1 WHERE false", conditions: ["[ROWS] > 0"] }
                """)) {
            Run run = f.await(f.runbooks.start("sql", Map.of(), "alice", null).id());
            assertThat(f.step(run.id(), "echo").status())
                    .as(f.step(run.id(), "echo").message())
                    .isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "echo").extracted()).containsEntry("value", "27");
            assertThat(f.step(run.id(), "bad").message())
                    .isEqualTo("datasource test: ERROR: syntax error at or near \"SELEC\" (SQLSTATE 42601)");
            assertThat(f.step(run.id(), "none").message()).isEqualTo("[ROWS]: expected > 0, got 0");
        }
    }

    @Test
    void waitPollsUntilTheCheckHolds() throws Exception {
        try (RunbookFixture f = fixture("""
                  wait:
                    steps:
                      - { id: now, type: check, check: api/health, on_failure: continue }
                      - { id: up, type: wait, check: api/health, interval: 100ms, timeout: 10s }
                      - { id: url, type: wait, url: "%s/health", conditions: ["[BODY].status == healthy"], interval: 100ms, timeout: 5s }
                      - { id: pause, type: sleep, duration: 50ms }
                """.formatted(base()))) {
            Run run = f.runbooks.start("wait", Map.of(), "alice", null);
            Thread.sleep(700);
            health = "{\"status\": \"healthy\"}";
            run = f.await(run.id());
            assertThat(f.step(run.id(), "now").message())
                    .isEqualTo("[BODY].status: expected healthy, got \"starting\"");
            assertThat(f.step(run.id(), "up").status()).isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "up").message()).matches("holds after \\d+ polls");
            assertThat(f.step(run.id(), "url").message()).isEqualTo("holds after 1 polls");
            assertThat(run.status()).isEqualTo(Run.Status.SUCCEEDED);
        }
    }

    @Test
    void approvalNeedsTheRoleAndASecondPerson() throws Exception {
        try (RunbookFixture f = fixture("""
                  gated:
                    steps:
                      - { id: go, type: approval, role: operator, four_eyes: true, prompt: "Restart PostgreSQL?" }
                      - { id: tell, type: notify, channel: ops, message: "restarted" }
                """)) {
            Run run = f.runbooks.start("gated", Map.of(), "alice", null);
            f.await(run.id(), Run.Status.WAITING_APPROVAL);
            assertThat(f.runbooks.pendingApproval(run.id()).orElseThrow())
                    .containsEntry("prompt", "Restart PostgreSQL?");
            assertThatThrownBy(() -> f.runbooks.approve(run.id(), new Runbooks.Actor("alice", Role.ADMIN), true, null))
                    .hasMessage("step go needs a second person: the one who started the run cannot approve it");
            assertThatThrownBy(
                            () -> f.runbooks.approve(run.id(), new Runbooks.Actor("bob", Role.RESPONDER), true, null))
                    .hasMessage("step go needs the operator role to approve or reject");
            f.runbooks.approve(run.id(), new Runbooks.Actor("carol", Role.OPERATOR), true, "checked the replica");
            Run done = f.await(run.id());
            assertThat(done.status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "go").decidedBy()).isEqualTo("carol");
            assertThat(f.step(run.id(), "go").message()).isEqualTo("approved by carol: checked the replica");
            assertThat(f.notified).containsExactly("ops: restarted");
            assertThatThrownBy(
                            () -> f.runbooks.approve(run.id(), new Runbooks.Actor("carol", Role.OPERATOR), true, null))
                    .hasMessage("run " + run.id() + " is not waiting for an approval");
        }
    }

    @Test
    void subRunbooksCancelAndOneAtATime() throws Exception {
        try (RunbookFixture f = fixture("""
                  parent:
                    params: { env: { default: staging } }
                    steps:
                      - { id: child, type: runbook, runbook: child, params: { where: "{{params.env}}" } }
                      - { id: long, type: shell, run: "sleep 60" }
                  child:
                    params: { where: { required: true } }
                    steps:
                      - { id: say, type: shell, run: 'echo "in $W"', env: { W: "{{params.where}}" } }
                """)) {
            Run run = f.runbooks.start("parent", Map.of(), "alice", null);
            long deadline = System.currentTimeMillis() + 10_000;
            while (!"long".equals(f.runbooks.find(run.id()).orElseThrow().currentStep())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> f.runbooks.start("parent", Map.of(), "bob", null))
                    .isInstanceOf(RunRefused.class)
                    .hasMessage(
                            "runbook parent is already running and runs one at a time (concurrency.when_busy: reject)");
            assertThat(f.runbooks.runs("parent", 10))
                    .as("a refused start leaves no run behind")
                    .hasSize(1);
            Run child = f.runbooks.runs("child", 5).getFirst();
            assertThat(child.parentRun()).isEqualTo(run.id());
            assertThat(child.status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(f.step(child.id(), "say").output()).isEqualTo("in staging\n");
            long start = System.nanoTime();
            f.runbooks.cancel(run.id(), "alice");
            Run cancelled = f.await(run.id());
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            assertThat(cancelled.status()).isEqualTo(Run.Status.CANCELLED);
            assertThat(f.step(run.id(), "long").status()).isEqualTo(StepRun.Status.CANCELLED);
            assertThat(f.runbooks.catalogue())
                    .filteredOn(e -> e.def().id().equals("child"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.untested()).isFalse());
            assertThat(f.runbooks.catalogue())
                    .filteredOn(e -> e.def().id().equals("parent"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.untested()).isTrue());
        }
    }
}
