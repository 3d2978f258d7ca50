package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrometheusCheckTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String check(String metric, String extra) {
        return "type: prometheus\nurl: " + server.url("/metrics") + "\nmetric: " + metric + "\n" + extra;
    }

    @Test
    void readsAnUnlabelledMetric() throws Exception {
        Observation o = observe(check("up", ""));
        assertThat(o.get("VALUE")).isEqualTo(1.0);
        assertThat(o.get("SAMPLES")).isEqualTo(1L);
        assertThat(o.get("STATUS")).isEqualTo(200L);
        CheckResult r = run(check("temperature", "conditions: [\"[VALUE] > 0\"]"));
        assertThat(r.message()).isEqualTo("[VALUE]: expected > 0, got -3.5");
    }

    @Test
    void labelsSelectSamplesFirstIsValueAndSumAddsUp() throws Exception {
        Observation o = observe(check("http_requests_total", "labels: {code: \"200\"}"));
        assertThat(o.get("SAMPLES")).isEqualTo(2L);
        assertThat(o.get("VALUE")).isEqualTo(1027.0);
        assertThat(o.get("SUM")).isEqualTo(1030.0);
        assertThat(observe(check("http_requests_total", "labels: {method: \"~P.*\"}"))
                        .get("VALUE"))
                .isEqualTo(3.0);
        // escaped quotes and backslashes in label values
        assertThat(observe(check("http_requests_total", "labels: {path: '/a \"quoted\" \\ x'}"))
                        .get("VALUE"))
                .isEqualTo(7.0);
        // a longer metric sharing the prefix is not a sample of this one
        assertThat(observe(check("http_requests_total", "")).get("SAMPLES")).isEqualTo(3L);
    }

    @Test
    void noMatchingSampleIsAFailure() {
        CheckResult r = run(check("http_requests_total", "labels: {code: \"404\", method: \"~GET|HEAD\"}"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo("no sample of http_requests_total matching {code=\"404\", method=~\"GET|HEAD\"}");
        assertThat(run(check("nope", "")).message()).isEqualTo("no sample of nope matching {}");
    }

    @Test
    void errorStatusIsAFailure() {
        CheckResult r = run("type: prometheus\nurl: " + server.url("/fail") + "\nmetric: up");
        assertThat(r.message()).isEqualTo("metrics endpoint answered HTTP 503");
    }

    @Test
    void truncatedPageSaysSo() {
        CheckResult r = run(check("temperature", "max_body: 100B"));
        assertThat(r.message()).isEqualTo("no sample of temperature matching {} (page cut at 100B; raise max_body)");
    }

    @Test
    void unreachable() throws Exception {
        assertThat(run("type: prometheus\nmetric: up\nurl: http://127.0.0.1:" + TestChecks.freePort() + "/metrics")
                        .message())
                .isEqualTo("connection refused");
        try (SilentServer silent = new SilentServer()) {
            assertThat(run("type: prometheus\nmetric: up\ntimeout: 1s\nurl: http://127.0.0.1:" + silent.port() + "/")
                            .message())
                    .isEqualTo("timed out after 1s");
        }
    }

    @Test
    void parserHandlesTheFormat() throws Exception {
        String text =
                "# HELP x help\nx{a=\"1\", b = \"q\\\"uote\\\\d\\nn\"} +Inf 123\nx NaN\nx_other 5\nx{a=\"2\",} -1e3\n";
        var all = PrometheusText.samples(text, "x", l -> true);
        assertThat(all).hasSize(3);
        assertThat(all.get(0).labels()).isEqualTo(Map.of("a", "1", "b", "q\"uote\\d\nn"));
        assertThat(all.get(0).value()).isInfinite();
        assertThat(all.get(1).value()).isNaN();
        assertThat(all.get(2).value()).isEqualTo(-1000.0);
        assertThatThrownBy(() -> PrometheusText.samples("x{a=\"1\" 5\n", "x", l -> true))
                .hasMessage("line 1: expected , or } after label a");
        assertThatThrownBy(() -> PrometheusText.samples("\nx{a=\"1\"} five\n", "x", l -> true))
                .hasMessage("line 2: value \"five\" is not a number");
    }

    @Test
    void configErrors() {
        assertThat(TestChecks.problems("type: prometheus\nurl: http://h/metrics\nmetric: 'bad name'"))
                .singleElement()
                .asString()
                .contains("metric: \"bad name\" is not a metric name");
        assertThat(TestChecks.problems("type: prometheus\nurl: http://h/metrics\nmetric: up\nlabels: {job: \"~(\"}"))
                .singleElement()
                .asString()
                .contains("labels.job: bad regex");
    }
}
