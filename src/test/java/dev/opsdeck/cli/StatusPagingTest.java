package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.monitor.TcpTarget;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck status} against a real server with more services than one page: first page, --all, filters. */
class StatusPagingTest {
    @TempDir
    Path dir;

    static List<String> names(String json) throws Exception {
        List<String> out = new ArrayList<>();
        TestServer.JSON
                .readTree(json)
                .path("services")
                .forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    @Test
    void firstPageSaysHowManyMoreAndAllFollowsEveryPage() throws Exception {
        StringBuilder y = new StringBuilder("server: { data_dir: data }\nservices:\n");
        try (TcpTarget up = TcpTarget.up()) {
            for (int i = 0; i < 12; i++) {
                y.append(
                        "  svc%02d:\n    checks:\n      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 300ms%s }\n"
                                .formatted(
                                        i,
                                        i < 9 ? up.port() : TcpTarget.closedPort(),
                                        i == 10 ? ", alert: { labels: { team: db } }" : ""));
            }
            try (TestServer server = new TestServer(Files.writeString(dir.resolve("opsdeck.yaml"), y.toString()))) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services?status=unknown")
                                        .path("total")
                                        .asInt()
                                == 0,
                        "every check to report");
                String[] at = {"--server", server.url(), "--token", server.token};

                CliTest.Run first = CliTest.run(cat(at, "status", "--limit", "5"));
                assertThat(first.code()).as("every service shown is up").isZero();
                assertThat(first.out()).contains("svc04").doesNotContain("svc05");
                assertThat(first.out()).endsWith("… 7 more service(s); --all lists every one\n");

                CliTest.Run all = CliTest.run(cat(at, "status", "--limit", "5", "--all", "--json"));
                assertThat(all.code()).as("svc09..svc11 are down").isEqualTo(1);
                List<String> names = names(all.out());
                assertThat(names)
                        .hasSize(12)
                        .doesNotHaveDuplicates()
                        .startsWith("svc00")
                        .endsWith("svc11");
                JsonNode body = TestServer.JSON.readTree(all.out());
                assertThat(body.path("total").asInt()).isEqualTo(12);
                assertThat(body.path("next").isNull()).isTrue();

                CliTest.Run table = CliTest.run(cat(at, "status", "--limit", "2", "--all"));
                assertThat(table.out()).contains("svc11").doesNotContain("more service");

                CliTest.Run down =
                        CliTest.run(cat(at, "status", "--status", "down", "--limit", "2", "--all", "--json"));
                assertThat(names(down.out())).containsExactly("svc09", "svc10", "svc11");
                CliTest.Run labelled =
                        CliTest.run(cat(at, "status", "--status", "down,up", "--label", "team=db", "--json"));
                assertThat(names(labelled.out())).containsExactly("svc10");
                CliTest.Run search = CliTest.run(cat(at, "status", "--search", "SVC1", "--json"));
                assertThat(names(search.out())).containsExactly("svc10", "svc11");

                CliTest.Run bad = CliTest.run(cat(at, "status", "--status", "sideways"));
                assertThat(bad.code()).isEqualTo(1);
                assertThat(bad.err())
                        .contains("status: expected one or more of up, degraded, down, unknown; got 'sideways'");
            }
        }
    }

    static String[] cat(String[] at, String... args) {
        String[] out = new String[args.length + at.length];
        System.arraycopy(args, 0, out, 0, args.length);
        System.arraycopy(at, 0, out, args.length, at.length);
        return out;
    }
}
