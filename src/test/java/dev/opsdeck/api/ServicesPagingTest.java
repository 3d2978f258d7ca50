package dev.opsdeck.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.monitor.TcpTarget;
import dev.opsdeck.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/services} in pages, filtered by status, label and text, over 25 services of a real server. */
class ServicesPagingTest {
    static final int SERVICES = 25;

    @TempDir
    static Path dir;

    static TcpTarget up;
    static TestServer server;

    /** s00..s24 in configuration order; even ones up, odd ones down; a few with labels and descriptions. */
    static String yaml(int upPort, int closedPort) {
        StringBuilder y = new StringBuilder("server: { data_dir: data }\nservices:\n");
        for (int i = 0; i < SERVICES; i++) {
            y.append("  s%02d:\n".formatted(i));
            if (i == 5) y.append("    description: Payments Gateway\n");
            y.append("    checks:\n");
            String alert = i == 3
                    ? ", alert: { labels: { team: api } }"
                    : i == 4
                            ? ", alert: { labels: { team: api, tier: gold } }"
                            : i == 7 ? ", alert: { labels: { team: web } }" : "";
            String name = i == 10 ? "ledger" : "port";
            String description = i == 10 ? ", description: Ledger WRITES" : "";
            y.append("      %s: { type: tcp, host: 127.0.0.1, port: %d, interval: 300ms%s%s }\n"
                    .formatted(name, i % 2 == 0 ? upPort : closedPort, description, alert));
        }
        return y.toString();
    }

    @BeforeAll
    static void start() throws Exception {
        up = TcpTarget.up();
        server =
                new TestServer(Files.writeString(dir.resolve("opsdeck.yaml"), yaml(up.port(), TcpTarget.closedPort())));
        TestServer.awaitHttp(
                () -> server.json("/api/v1/services?status=unknown")
                                        .path("total")
                                        .asInt()
                                == 0
                        // uptime comes from the stored results, which the writer flushes in batches after the
                        // state changes in memory
                        && server.json("/api/v1/services?limit=1")
                                .path("services")
                                .path(0)
                                .path("checks")
                                .path(0)
                                .has("uptime_24h"),
                "every check to report and its first result to be stored");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (up != null) up.close();
    }

    static List<String> names(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("services").forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    @Test
    void withoutParametersEveryServiceInConfigurationOrderAndNoNextPage() throws Exception {
        JsonNode body = server.json("/api/v1/services");
        assertThat(names(body))
                .hasSize(SERVICES)
                .startsWith("s00", "s01", "s02")
                .endsWith("s24");
        assertThat(body.path("total").asInt()).isEqualTo(SERVICES);
        assertThat(body.path("next").isNull()).isTrue();
        assertThat(body.path("services").get(0).path("checks").get(0).has("uptime_24h"))
                .isTrue();
    }

    @Test
    void aCursorWalkSeesEveryServiceExactlyOnce() throws Exception {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = server.json("/api/v1/services?limit=7" + (after == null ? "" : "&after=" + after));
            assertThat(page.path("total").asInt()).isEqualTo(SERVICES);
            assertThat(page.path("services").size()).isLessThanOrEqualTo(7);
            seen.addAll(names(page));
            after = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(SERVICES).doesNotHaveDuplicates();
        assertThat(seen.get(24)).isEqualTo("s24");
    }

    @Test
    void filtersCombineAndPageTogether() throws Exception {
        JsonNode down = server.json("/api/v1/services?status=down&limit=5");
        assertThat(names(down)).containsExactly("s01", "s03", "s05", "s07", "s09");
        assertThat(down.path("total").asInt()).isEqualTo(12);
        assertThat(down.path("next").asText()).isEqualTo("s09");
        assertThat(names(server.json("/api/v1/services?status=down&limit=5&after=s09")))
                .containsExactly("s11", "s13", "s15", "s17", "s19");
        assertThat(server.json("/api/v1/services?status=up,down").path("total").asInt())
                .isEqualTo(SERVICES);
        assertThat(names(server.json("/api/v1/services?label=team=api"))).containsExactly("s03", "s04");
        assertThat(names(server.json("/api/v1/services?label=team=api&label=tier=gold")))
                .containsExactly("s04");
        assertThat(names(server.json("/api/v1/services?label=team=api&status=down")))
                .containsExactly("s03");
        assertThat(names(server.json("/api/v1/services?q=payments"))).containsExactly("s05");
        assertThat(names(server.json("/api/v1/services?q=LEDGER%20w"))).containsExactly("s10");
        assertThat(names(server.json("/api/v1/services?q=s2&status=up"))).containsExactly("s20", "s22", "s24");
        JsonNode none = server.json("/api/v1/services?label=team=nobody");
        assertThat(none.path("services")).isEmpty();
        assertThat(none.path("total").asInt()).isZero();
        assertThat(none.path("next").isNull()).isTrue();
    }

    @Test
    void theCursorHoldsWhenItsServiceNoLongerMatches() throws Exception {
        // s02 is up: a page of down services may still start after it, as when it recovered between two pages
        assertThat(names(server.json("/api/v1/services?status=down&limit=2&after=s02")))
                .containsExactly("s03", "s05");
    }

    @Test
    void badInputIsAProblemDocumentWithAnExactMessage() throws Exception {
        assertBad("status=sideways", "status: expected one or more of up, degraded, down, unknown; got 'sideways'");
        assertBad("status=up,", "status: expected one or more of up, degraded, down, unknown; got ''");
        assertBad("label=team", "label: expected name=value such as team=api; got 'team'");
        assertBad("label=%3Dapi", "label: expected name=value such as team=api; got '=api'");
        assertBad("limit=1001", "limit: expected a whole number from 1 to 1000; got '1001'");
        assertBad("limit=0", "limit: expected a whole number from 1 to 1000; got '0'");
        assertBad(
                "after=nope",
                "after: no service named 'nope'; it was removed from the configuration or never existed,"
                        + " start again without after");
    }

    static void assertBad(String query, String detail) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/services?" + query);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = TestServer.JSON.readTree(r.body());
        assertThat(body.path("title").asText()).isEqualTo("Bad Request");
        assertThat(body.path("detail").asText()).as(query).isEqualTo(detail);
        assertThat(body.path("instance").asText()).isEqualTo("/api/v1/services");
    }
}
