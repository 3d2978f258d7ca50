package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.server.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsdeck deploy} against a real server: a deploy followed to success, one followed as JSON to its rollback
 * (exit 1), one left to run, refusals (exit 2), an unreachable server (exit 3), the change log and the DORA figures.
 * The deployed service is a real HTTP server answering with the version a real runbook's shell step wrote.
 */
class DeployCommandTest {
    @TempDir
    Path dir;

    @Test
    void deployFollowJsonListDoraAndExitCodes() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("health.json"), "{\"version\": \"none\"}");
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/health", ex -> {
            byte[] b = Files.readAllBytes(www.resolve("health.json"));
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        target.start();
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                runbooks:
                  ship:
                    params: { version: { required: true, pattern: "^[0-9.]+$" } }
                    steps:
                      - id: install
                        type: shell
                        # 6.6.6 starts, but never answers with its version
                        run: 'v="$1"; [ "$v" = 6.6.6 ] && v=broken; printf "{\\"version\\": \\"%%s\\"}" "$v" > "$WWW/health.json"'
                        args: ["{{params.version}}"]
                        env: { WWW: "%s" }
                services:
                  shop:
                    checks:
                      health: { type: http, url: "http://127.0.0.1:%d/health", interval: 1h }
                    deploy:
                      runbook: ship
                      gate:
                        timeout: 1s
                        interval: 200ms
                        checks: [ { check: health, conditions: ["[BODY].version == {{version}}"] } ]
                """.formatted(
                        dir.resolve("data"), www, target.getAddress().getPort()));
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};

            CliTest.Run good = run(remote, "deploy", "shop", "1.0.0", "--follow");
            assertThat(good.code()).as(good.out() + good.err()).isEqualTo(Main.OK);
            assertThat(good.out())
                    .contains("  runbook  ship  ok  run run-")
                    .contains("  gate  shop/health  ok  up in ")
                    .containsPattern("Deploy dep-[0-9a-f]{12}: succeeded\\.\\n$");

            CliTest.Run bad = run(remote, "deploy", "shop", "6.6.6", "--follow", "--json");
            assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(Main.FAILED);
            JsonNode rolled = TestServer.JSON.readTree(bad.out());
            assertThat(rolled.path("state").asText()).isEqualTo("rolled_back");
            assertThat(rolled.path("version").asText()).isEqualTo("6.6.6");
            JsonNode ev = rolled.path("evidence");
            assertThat(ev.get(ev.size() - 1).path("detail").asText())
                    .startsWith("gate failed after 1s: shop/health: ")
                    .endsWith("; rolled back to 1.0.0");
            assertThat(Files.readString(www.resolve("health.json"))).isEqualTo("{\"version\": \"1.0.0\"}");

            CliTest.Run started = run(remote, "deploy", "shop", "1.1.0", "--description", "faster search");
            assertThat(started.code()).as(started.err()).isEqualTo(Main.OK);
            assertThat(started.out())
                    .matches("Deploy (dep-[0-9a-f]{12}) of shop 1\\.1\\.0: (pending|running)\\. Follow it with:"
                            + " opsdeck deploy show dep-[0-9a-f]{12}\\n");
            String id = started.out().substring("Deploy ".length(), "Deploy ".length() + 16);
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/deploys/" + id)
                            .path("state")
                            .asText()
                            .equals("succeeded"),
                    "deploy 1.1.0");

            CliTest.Run unknown = run(remote, "deploy", "nope", "1.0.0");
            assertThat(unknown.code()).isEqualTo(Main.INVALID);
            assertThat(unknown.err()).contains("no service 'nope'; services with deploys: shop");
            CliTest.Run badVersion = run(remote, "deploy", "shop", "1.0;reboot");
            assertThat(badVersion.code()).isEqualTo(Main.INVALID);
            assertThat(badVersion.err()).contains("version: expected a tag, image or commit");
            CliTest.Run down = run(
                    new String[] {"--server", "http://127.0.0.1:" + CliTest.freePort(), "--token", server.token},
                    "deploy",
                    "shop",
                    "1.2.0");
            assertThat(down.code()).isEqualTo(Main.UNREACHABLE);
            assertThat(server.json("/api/v1/deploys?service=shop").path("deploys"))
                    .hasSize(3); // the refusals stored nothing

            CliTest.Run list = run(remote, "deploy", "list", "shop", "--json");
            assertThat(list.code()).isZero();
            JsonNode log = TestServer.JSON.readTree(list.out());
            assertThat(log.path("deploys").get(0).path("version").asText()).isEqualTo("1.1.0");
            assertThat(log.path("deploys").get(0).path("description").asText()).isEqualTo("faster search");
            CliTest.Run table = run(remote, "deploy", "list", "shop", "--state", "rolled_back");
            assertThat(table.out()).startsWith("ID").contains("  shop     6.6.6    1.0.0     rolled_back  key:");

            CliTest.Run dora = run(remote, "deploy", "dora", "--service", "shop", "--days", "7");
            assertThat(dora.code()).as(dora.err()).isZero();
            assertThat(dora.out())
                    .startsWith("DORA figures of the last 7 days (")
                    .contains("SERVICE  DEPLOYS  PER WEEK  LEAD TIME  CHANGE FAILURE  RECOVERY  REWORK")
                    .containsPattern("\\nshop +3 +2\\.0 +- +33% ")
                    .contains("failed change " + rolled.path("id").asText() + " (shop): ");
            CliTest.Run doraJson = run(remote, "deploy", "dora", "--json");
            JsonNode figures = TestServer.JSON.readTree(doraJson.out());
            assertThat(figures.path("days").asInt()).isEqualTo(30);
            assertThat(figures.path("services").path("shop").path("deploys").asInt())
                    .isEqualTo(3);
            CliTest.Run badDays = run(remote, "deploy", "dora", "--days", "0");
            assertThat(badDays.code()).isEqualTo(Main.INVALID);
            assertThat(badDays.err()).contains("days: expected a whole number from 1 to 365");
        } finally {
            target.stop(0);
        }
    }

    private static CliTest.Run run(String[] remote, String... args) {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
