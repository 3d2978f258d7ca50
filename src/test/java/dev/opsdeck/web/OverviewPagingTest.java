package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.Status;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overview against a real server with 300 services: paging, ordering, filters, search. */
@Tag("server")
class OverviewPagingTest {
    private static final Pattern ROW = Pattern.compile("<tr class=\"row-(\\w+)\" data-service=\"([^\"]+)\"");

    @TempDir
    static Path dir;

    static LocalTarget target;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        target = LocalTarget.open();
        int closed = LocalTarget.closedPort();
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String name = String.format("svc-%03d", i);
            boolean broken = i == 7 || i == 123; // two down services that must lead page 1
            yaml.append("  ")
                    .append(name)
                    .append(":\n")
                    .append("    description: generated service ")
                    .append(i)
                    .append('\n')
                    .append("    checks:\n")
                    .append("      port: { type: tcp, host: 127.0.0.1, port: ")
                    .append(broken ? closed : target.port())
                    .append(", interval: 1h, timeout: 2s }\n");
        }
        server = TestServer.start(dir, yaml.toString());
        TestServer.await(
                Duration.ofSeconds(20),
                "every check has run once",
                () -> server.server.engine().services().stream().noneMatch(s -> s.status() == Status.UNKNOWN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (target != null) target.close();
    }

    @Test
    void firstPageShowsFiftyRowsProblemsFirstAndLinksToTheOtherPages() throws Exception {
        HttpResponse<String> page = server.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
        List<String[]> rows = rows(page.body());
        assertThat(rows).hasSize(50);
        assertThat(rows.get(0)).containsExactly("down", "svc-007");
        assertThat(rows.get(1)).containsExactly("down", "svc-123");
        assertThat(rows.get(2)).containsExactly("up", "svc-000");
        assertThat(page.body())
                .contains("Showing 1–50 of 300 services")
                .contains("href=\"/?page=2\"")
                .contains("href=\"/?page=6\"")
                .contains("rel=\"next\"")
                .doesNotContain("href=\"/?page=7\"")
                .doesNotContain("rel=\"prev\"")
                .contains("<b>2</b> down")
                .contains("<b>298</b> up");
        assertThat(page.body().split("id=\"statusbar\"", -1))
                .as("one status bar")
                .hasSize(2);
    }

    @Test
    void lastPageAndOutOfRangePagesShowTheLastFifty() throws Exception {
        for (String path : List.of("/?page=6", "/?page=99")) {
            String body = server.get(path).body();
            List<String[]> rows = rows(body);
            assertThat(rows).as(path).hasSize(50);
            assertThat(rows.getLast()[1]).isEqualTo("svc-299");
            assertThat(body).contains("aria-current=\"page\">6<").contains("Showing 251–300 of 300");
        }
        assertThat(rows(server.get("/?page=nonsense").body()).getFirst()[1]).isEqualTo("svc-007");
    }

    @Test
    void filtersByStatusAndSearchesByName() throws Exception {
        assertThat(rows(server.get("/?status=down").body()))
                .extracting(r -> r[1])
                .containsExactly("svc-007", "svc-123");
        assertThat(rows(server.get("/?status=problems").body())).hasSize(2);
        assertThat(rows(server.get("/?q=SVC-01").body()))
                .extracting(r -> r[1])
                .containsExactly(
                        "svc-010", "svc-011", "svc-012", "svc-013", "svc-014", "svc-015", "svc-016", "svc-017",
                        "svc-018", "svc-019");
        String up = server.get("/?status=up&page=2").body();
        assertThat(rows(up)).hasSize(50);
        assertThat(up).contains("href=\"/?status=up\" rel=\"prev\"").contains("href=\"/?page=3&amp;status=up\"");
        assertThat(rows(server.get("/?q=no-such-service").body())).isEmpty();
    }

    @Test
    void fragmentIsTheLiveRegionOnlyWithTheStatusBarOutOfBand() throws Exception {
        String body = server.get("/fragments/overview?page=2").body();
        assertThat(body).doesNotContain("<html").contains("hx-swap-oob=\"true\"");
        assertThat(rows(body)).hasSize(50);
        assertThat(rows(body).getFirst()[1]).isEqualTo("svc-049");
    }

    @Test
    void rendersOnlyOnePageSoItStaysFast() throws Exception {
        server.get("/"); // warm up
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) server.get("/?page=" + (i + 1));
        long eachMs = (System.nanoTime() - start) / 5 / 1_000_000;
        assertThat(eachMs).as("ms per overview page with 300 services").isLessThan(500);
    }

    private static List<String[]> rows(String html) {
        Matcher m = ROW.matcher(html);
        List<String[]> out = new ArrayList<>();
        while (m.find()) out.add(new String[] {m.group(1), m.group(2)});
        return out;
    }
}
