package dev.opsdeck.deploy;

import static dev.opsdeck.deploy.DoraTest.WEEK;
import static dev.opsdeck.deploy.DoraTest.deploy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DORA figures as /metrics lines: exact names, labels and values, and text that promtool accepts. */
class DoraMetricsTest {
    @Test
    void everyFigureIsAGaugePerServiceWithAnUnlabelledSeriesForAllServices() {
        Dora.Result r = Dora.compute(
                List.of(
                        deploy("a1", "api", DeployState.SUCCEEDED, 0, 10L, 0L, null),
                        deploy("a2", "api", DeployState.FAILED, 20, 30L),
                        deploy("a3", "api", DeployState.SUCCEEDED, 40, 45L),
                        deploy("w1", "web", DeployState.RUNNING, 50, null)),
                List.of(),
                WEEK);
        assertThat(DoraMetrics.lines(r))
                .containsExactly(
                        "# HELP opsdeck_deploy_window_seconds Length of the window the DORA figures cover",
                        "# TYPE opsdeck_deploy_window_seconds gauge",
                        "opsdeck_deploy_window_seconds 604800",
                        "# HELP opsdeck_deploy_failure_window_seconds How long after a deploy an incident counts against it",
                        "# TYPE opsdeck_deploy_failure_window_seconds gauge",
                        "opsdeck_deploy_failure_window_seconds 3600",
                        "# HELP opsdeck_deploys_in_window Finished deploys (cancelled ones left out) that ended in the DORA window",
                        "# TYPE opsdeck_deploys_in_window gauge",
                        "opsdeck_deploys_in_window 3",
                        "opsdeck_deploys_in_window{service=\"api\"} 3",
                        "opsdeck_deploys_in_window{service=\"web\"} 0",
                        "# HELP opsdeck_deploys_in_flight Deploys pending, running or verifying",
                        "# TYPE opsdeck_deploys_in_flight gauge",
                        "opsdeck_deploys_in_flight 1",
                        "opsdeck_deploys_in_flight{service=\"api\"} 0",
                        "opsdeck_deploys_in_flight{service=\"web\"} 1",
                        "# HELP opsdeck_deploy_frequency_per_day Succeeded deploys per day over the DORA window",
                        "# TYPE opsdeck_deploy_frequency_per_day gauge",
                        "opsdeck_deploy_frequency_per_day 0.2857142857142857",
                        "opsdeck_deploy_frequency_per_day{service=\"api\"} 0.2857142857142857",
                        "opsdeck_deploy_frequency_per_day{service=\"web\"} 0",
                        "# HELP opsdeck_deploy_lead_time_median_seconds Median time from commit to succeeded deploy",
                        "# TYPE opsdeck_deploy_lead_time_median_seconds gauge",
                        "opsdeck_deploy_lead_time_median_seconds 600",
                        "opsdeck_deploy_lead_time_median_seconds{service=\"api\"} 600",
                        "opsdeck_deploy_lead_time_median_seconds{service=\"web\"} NaN",
                        "# HELP opsdeck_deploy_lead_time_p90_seconds 90th percentile of the time from commit to"
                                + " succeeded deploy",
                        "# TYPE opsdeck_deploy_lead_time_p90_seconds gauge",
                        "opsdeck_deploy_lead_time_p90_seconds 600",
                        "opsdeck_deploy_lead_time_p90_seconds{service=\"api\"} 600",
                        "opsdeck_deploy_lead_time_p90_seconds{service=\"web\"} NaN",
                        "# HELP opsdeck_deploy_change_failure_ratio Share of the deploys in the window that were failed"
                                + " changes",
                        "# TYPE opsdeck_deploy_change_failure_ratio gauge",
                        "opsdeck_deploy_change_failure_ratio 0.3333333333333333",
                        "opsdeck_deploy_change_failure_ratio{service=\"api\"} 0.3333333333333333",
                        "opsdeck_deploy_change_failure_ratio{service=\"web\"} NaN",
                        "# HELP opsdeck_deploy_recovery_median_seconds Median failed-deploy recovery time",
                        "# TYPE opsdeck_deploy_recovery_median_seconds gauge",
                        "opsdeck_deploy_recovery_median_seconds 900",
                        "opsdeck_deploy_recovery_median_seconds{service=\"api\"} 900",
                        "opsdeck_deploy_recovery_median_seconds{service=\"web\"} NaN",
                        "# HELP opsdeck_deploy_recovery_p90_seconds 90th percentile of the failed-deploy recovery time",
                        "# TYPE opsdeck_deploy_recovery_p90_seconds gauge",
                        "opsdeck_deploy_recovery_p90_seconds 900",
                        "opsdeck_deploy_recovery_p90_seconds{service=\"api\"} 900",
                        "opsdeck_deploy_recovery_p90_seconds{service=\"web\"} NaN",
                        "# HELP opsdeck_deploy_rework_ratio Share of the deploys in the window that followed a failed"
                                + " change of their service",
                        "# TYPE opsdeck_deploy_rework_ratio gauge",
                        "opsdeck_deploy_rework_ratio 0.3333333333333333",
                        "opsdeck_deploy_rework_ratio{service=\"api\"} 0.3333333333333333",
                        "opsdeck_deploy_rework_ratio{service=\"web\"} NaN");
    }

    @Test
    void labelValuesAreEscapedAndValuesWrittenPlainly() {
        assertThat(DoraMetrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
        assertThat(DoraMetrics.number(null)).isEqualTo("NaN");
        assertThat(DoraMetrics.number(Double.NaN)).isEqualTo("NaN");
        assertThat(DoraMetrics.number(3.0)).isEqualTo("3");
        assertThat(DoraMetrics.number(0.25)).isEqualTo("0.25");
        assertThat(DoraMetrics.number(1.0e-4)).isEqualTo("1.0E-4");
    }

    @Test
    void promtoolAcceptsTheTextWithAndWithoutDeploys() throws Exception {
        Dora.Result some = Dora.compute(DoraTest.week(), DoraTest.weekIncidents(), WEEK);
        Dora.Result none = Dora.compute(List.of(), List.of(), WEEK);
        for (Dora.Result r : List.of(some, none)) {
            Path promtool = Path.of("/usr/bin/promtool");
            assertThat(Files.isExecutable(promtool))
                    .as("promtool not installed: apt-get install -y prometheus (.ci/run does)")
                    .isTrue();
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(DoraMetrics.text(r).getBytes(StandardCharsets.UTF_8));
            }
            String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("promtool check metrics:%n%s", lint).isZero();
            assertThat(lint).isBlank();
        }
    }
}
