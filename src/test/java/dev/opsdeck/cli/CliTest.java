package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.monitor.TcpTarget;
import dev.opsdeck.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opsdeck command line, run in-process with its output captured. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine(args).execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void deploySubcommandsDoNotNeedTheDeployParameters() throws Exception {
        String server = "http://127.0.0.1:" + freePort();
        // once exit 2 "Missing required parameters: 'SERVICE', 'VERSION'": now they reach for the server (exit 3)
        Run list = run("deploy", "list", "backend", "--server", server, "--token", "t");
        assertThat(list.code()).as(list.err()).isEqualTo(Main.UNREACHABLE);
        Run show = run("deploy", "show", "dep-1", "--server", server, "--token", "t");
        assertThat(show.code()).as(show.err()).isEqualTo(Main.UNREACHABLE);
        Run neither = run("deploy", "backend", "--server", server, "--token", "t");
        assertThat(neither.code()).isEqualTo(Main.INVALID);
        assertThat(neither.err())
                .startsWith(
                        "Missing required parameters: SERVICE VERSION (or a subcommand: list, show, rollback, dora)\n");
    }

    @Test
    void configCheckExitsZeroForAValidConfigAndTwoWithEveryProblem() throws Exception {
        Path good = write("services:\n  db:\n    checks:\n      port: { type: tcp, host: 127.0.0.1, port: 5432 }\n");
        Run ok = run("config", "check", good.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).isEqualTo("ok: 1 services, 1 checks in 1 file(s)\n");

        Path bad = write("""
                services:
                  db:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 5432, interval: 10 seconds }
                      other: { type: tcpp }
                """);
        Run invalid = run("config", "check", bad.toString());
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err())
                .isEqualTo(bad + ":4:65: services.db.checks.port.interval: bad duration \"10 seconds\""
                        + " (hint: write a number with a unit: 500ms, 30s, 5m, 1h, 7d)\n"
                        + bad + ":5:22: unknown check type \"tcpp\" (hint: did you mean 'tcp'?)\n"
                        + "2 problem(s) found\n");
        assertThat(run("config", "check", dir.resolve("missing.yaml").toString())
                        .code())
                .isEqualTo(2);

        // a file of runbooks alone is not "0 services, 0 checks": every kind of entry is counted
        StringBuilder runbooks = new StringBuilder("runbooks:\n");
        for (int i = 1; i <= 13; i++)
            runbooks.append("  rb-").append(i).append(": { steps: [{ id: s, type: sleep, duration: 1s }] }\n");
        Run counted = run(
                "config",
                "check",
                write(runbooks + "channels:\n  hook: { type: webhook, url: \"http://127.0.0.1:9/\" }\n")
                        .toString());
        assertThat(counted.out()).isEqualTo("ok: 0 services, 0 checks, 1 channels, 13 runbooks in 1 file(s)\n");

        // "===" once passed as "==" and a text "= 200": a check that is always down
        Path triple = write("services:\n  web:\n    checks:\n      home: { type: http, url: \"http://127.0.0.1:9/\","
                + " conditions: [\"[STATUS] === 200\"] }\n");
        Run rejected = run("config", "check", triple.toString());
        assertThat(rejected.code()).isEqualTo(2);
        assertThat(rejected.err())
                .startsWith(triple + ":4:68: bad condition: unknown operator \"===\" in \"[STATUS] === 200\""
                        + " (hint: operators are == != < <= > >=;");
    }

    @Test
    void configCheckWarnsAboutWhatCanNeverPage() throws Exception {
        Path config = write("""
                alerts:
                  rules:
                    CacheDown: { service: cache, state: down }
                services:
                  cache:
                    checks:
                      ping: { type: tcp, host: 127.0.0.1, port: 6379, enabled: false }
                  api:
                    checks:
                      health: { type: tcp, host: 127.0.0.1, port: 4000 }
                """);
        Run r = run("config", "check", config.toString());
        assertThat(r.code()).as("warnings, not errors: %s", r.err()).isZero();
        assertThat(r.out()).startsWith("ok: ");
        assertThat(r.err())
                .isEqualTo(
                        config
                                + ":3:27: warning: alerts.rules.CacheDown: service cache has no enabled check, so this rule"
                                + " can never fire\n"
                                + config
                                + ": warning: no alert can page anyone: incidents.notify names no channel and no escalation"
                                + " policy is defined (hint: incidents: { notify: [CHANNEL] } with a channel under channels:)\n");

        Path paging = write("""
                channels:
                  hook: { type: webhook, url: "https://hooks.example.com/opsdeck" }
                incidents: { notify: [hook] }
                alerts:
                  rules:
                    DatabaseDown: { service: db, state: down, severity: P1 }
                services:
                  db:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 5432, alert: { enabled: false } }
                """);
        Run fine = run("config", "check", paging.toString());
        assertThat(fine.code()).isZero();
        assertThat(fine.err())
                .as("a rule with the check's own alert off pages (as flapping too)")
                .isEmpty();
    }

    @Test
    void checkRunExitsZeroWhenUpAndOneWhenDown() throws Exception {
        try (TcpTarget up = TcpTarget.up()) {
            Path config = write("""
                    services:
                      svc:
                        checks:
                          up: { type: tcp, host: 127.0.0.1, port: %d }
                          down: { type: tcp, host: 127.0.0.1, port: %d, timeout: 500ms }
                    """.formatted(up.port(), TcpTarget.closedPort()));
            Run good = run("check", "run", "svc/up", "--config", config.toString());
            assertThat(good.code()).isZero();
            assertThat(good.out()).matches("(?s)svc/up: UP in \\d+ms — 1/1 conditions hold\n  \\[CONNECTED] true\n.*");
            Run bad = run("check", "run", "svc/down", "-c", config.toString(), "--json");
            assertThat(bad.code()).isEqualTo(1);
            JsonNode json = TestServer.JSON.readTree(bad.out());
            assertThat(json.path("check").asText()).isEqualTo("svc/down");
            assertThat(json.path("status").asText()).isEqualTo("down");
            assertThat(json.path("message").asText()).isEqualTo("connection refused");
            Run unknown = run("check", "run", "svc/nope", "--config", config.toString());
            assertThat(unknown.code()).isEqualTo(2);
            assertThat(unknown.err()).isEqualTo("opsdeck: no check 'svc/nope'; known: svc/up, svc/down\n");
        }
    }

    @Test
    void statusAgainstARunningServer() throws Exception {
        try (TcpTarget up = TcpTarget.up()) {
            Path config = write("""
                    server: { data_dir: data }
                    services:
                      db:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %2$d, interval: 200ms }
                      app:
                        depends_on: [db]
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 200ms, degraded_when: ["[CONNECTED] == true"] }
                      cache:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 200ms }
                      docs: { description: nothing checked yet }
                    """.formatted(up.port(), TcpTarget.closedPort()));
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.get("/api/v1/services").body().split("\"unknown\"").length == 2,
                        "every check to report");
                Run json = run("status", "--server", server.url(), "--token", server.token, "--json");
                assertThat(json.code()).as("a service is down").isEqualTo(1);
                JsonNode services = TestServer.JSON.readTree(json.out()).path("services");
                List<String> statuses = new ArrayList<>();
                for (JsonNode s : services) {
                    assertThat(s.path("name").isTextual()).isTrue();
                    assertThat(s.path("checks").isArray()).isTrue();
                    statuses.add(
                            s.path("name").asText() + "=" + s.path("status").asText());
                    for (JsonNode c : s.path("checks")) {
                        assertThat(c.path("status").asText()).isIn(Set.of("up", "degraded", "down", "unknown"));
                    }
                }
                assertThat(statuses).containsExactly("db=down", "app=degraded", "cache=up", "docs=unknown");
                assertThat(services.get(1).path("impacted_by").get(0).asText()).isEqualTo("db");
                assertThat(services.get(0).path("checks").get(0).path("name").asText())
                        .isEqualTo("port");

                Run table = run("status", "--server", server.url(), "--token", server.token);
                assertThat(table.code()).isEqualTo(1);
                assertThat(table.out().lines().toList())
                        .first()
                        .asString()
                        .startsWith("SERVICE")
                        .contains("CHECK", "STATUS");
                assertThat(table.out()).contains("port: connection refused").contains("(impacted by db)");
            }
        }
    }

    @Test
    void statusWithoutAServerExitsThree() throws Exception {
        int port = freePort();
        Run r = run("status", "--server", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo("opsdeck: cannot reach the Opsdeck server at http://127.0.0.1:" + port
                        + " (ConnectException); start one with ./opsdeck serve or set --server / OPSDECK_URL\n");
    }

    @Test
    void serveExitsThreeWhenTheStoreIsUnreachable() throws Exception {
        int port = freePort();
        Path config = write("""
                server: { data_dir: data }
                store: { url: "postgresql://opsdeck:hunter2@127.0.0.1:%d/opsdeck" }
                services: {}
                """.formatted(port));
        Run r = run("serve", "--config", config.toString(), "--port", "0");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err())
                .contains("opsdeck: store unreachable (PostgreSQL at postgresql://opsdeck:***@127.0.0.1:" + port
                        + "/opsdeck): Connection refused\n")
                .doesNotContain("hunter2");
    }

    @Test
    void serveExitsTwoForABadConfigAndThreeForATakenPort() throws Exception {
        Path bad = write("servces: {}\n");
        Run invalid = run("serve", "-c", bad.toString());
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err())
                .isEqualTo("opsdeck: the configuration has 1 problem(s):\n  " + bad
                        + ":1:1: unknown section 'servces' (hint: did you mean 'services'?)\n");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path config = write("server: { data_dir: data }\nservices: {}\n");
            Run r = run("serve", "-c", config.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err())
                    .contains("opsdeck: cannot listen on the configured port: Port already in use.")
                    .contains("(set server.port or pass --port)");
        }
    }
}
