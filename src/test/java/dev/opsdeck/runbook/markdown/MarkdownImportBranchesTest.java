package dev.opsdeck.runbook.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the two runbook seeds say about when their steps run, carried into the import: alternatives become a
 * parameter and {@code when:}, "If restart fails" a guard on the restart's failure, "Rollback Procedure" the
 * {@code rollback:} list, durations in headings {@code target:}; endless commands are reported; the YAML loads.
 */
class MarkdownImportBranchesTest {
    @TempDir
    Path dir;

    private static ImportedStep step(List<ImportedStep> steps, String id) {
        return steps.stream()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no step " + id));
    }

    @Test
    void theRedeployRunbooksVariantsOptionsRollbackAndDurations() throws Exception {
        ImportResult r = MarkdownImport.convert(Seeds.text("003_68e48358983334a8"));
        ImportedRunbook rb = r.runbooks().getFirst();
        assertThat(rb.target()).isEqualTo("30m"); // "RTO Target: 30 minutes"
        assertThat(rb.choices()).extracting(ImportedChoice::name).containsExactly("platform", "option");
        assertThat(rb.choices().get(0).values()).containsExactly("systemd", "pm2", "docker");
        assertThat(rb.choices().get(1).values()).containsExactly("a", "b", "c");
        assertThat(rb.choices().get(1).labels())
                .containsExactly("Git-Based Deployment", "Docker-Based Deployment", "Pre-built Artifact Deployment");

        // "# Check if service is running" (systemctl), "# Or if using PM2", "# Or if using Docker"
        assertThat(step(rb.steps(), "check-if-service-is-running").when()).isEqualTo("[params.platform] == systemd");
        assertThat(step(rb.steps(), "or-if-using-pm2").when()).isEqualTo("[params.platform] == pm2");
        assertThat(step(rb.steps(), "or-if-using-docker").when()).isEqualTo("[params.platform] == docker");
        assertThat(step(rb.steps(), "check-health-endpoint").when()).isNull();
        // Option A / B / C of "Step 4: Deploy New Version (10 minutes)"
        assertThat(step(rb.steps(), "fetch-latest-changes").when()).isEqualTo("[params.option] == a");
        assertThat(step(rb.steps(), "pull-latest-image").when()).isEqualTo("[params.option] == b");
        assertThat(step(rb.steps(), "download-artifact-from-ci-cd").when()).isEqualTo("[params.option] == c");
        // 10 minutes shared by the 7 steps of option A (the default path): 86 s each, alternatives alike
        assertThat(step(rb.steps(), "fetch-latest-changes").target()).isEqualTo("86s");
        assertThat(step(rb.steps(), "pull-latest-image").target()).isEqualTo("86s");
        // "Step 6: Start New Service (2 minutes)": one step per platform and the wait
        assertThat(step(rb.steps(), "wait-for-service-to-be-ready").target()).isEqualTo("1m");

        // "Rollback Procedure": "Quick Rollback (5 minutes)" (systemctl) and "Docker Rollback"
        assertThat(rb.rollback())
                .extracting(ImportedStep::id)
                .containsExactly(
                        "stop-current-service",
                        "restore-previous-version",
                        "restore-environment",
                        "rebuild-if-needed",
                        "start-service",
                        "verify",
                        "stop-current-container",
                        "start-previous-version");
        assertThat(rb.rollback().subList(0, 6)).allSatisfy(s -> {
            assertThat(s.when()).isEqualTo("[params.platform] == systemd");
            assertThat(s.target()).isEqualTo("50s");
        });
        assertThat(rb.rollback().subList(6, 8)).allSatisfy(s -> {
            assertThat(s.when()).isEqualTo("[params.platform] == docker");
            assertThat(s.target()).isNull();
        });
        assertThat(rb.steps())
                .extracting(ImportedStep::id)
                .doesNotContainAnyElementsOf(
                        rb.rollback().stream().map(ImportedStep::id).toList());

        assertThat(r.unconverted())
                .filteredOn(u -> u.kind().equals("endless"))
                .extracting(Unconverted::line, Unconverted::text)
                .containsExactly(
                        Tuple.tuple(307, "docker logs -f yieldvault-backend"),
                        Tuple.tuple(382, "pm2 logs yieldvault-backend --lines 50"),
                        Tuple.tuple(455, "tail -f /var/log/yieldvault/backend.log | grep -i error"),
                        Tuple.tuple(458, "watch -n 5 'ps aux | grep yieldvault-backend'"));
    }

    @Test
    void theTroubleshootingRunbooksFailureHandlerSourcesAndRto() throws Exception {
        ImportResult r = MarkdownImport.convert(Seeds.text("001_4fd509d1758e3b1e"));
        ImportedRunbook rb001 = r.runbooks().stream()
                .filter(rb -> rb.id().equals("rb-001"))
                .findFirst()
                .orElseThrow();
        // "2. If restart fails — check for data corruption" runs only when "1. Restart if stopped or unhealthy" failed
        assertThat(step(rb001.steps(), "if-restart-fails-check-for-data-corruption")
                        .when())
                .isEqualTo("[steps.restart-if-stopped-or-unhealthy.status] == failed");
        assertThat(step(rb001.steps(), "restart-if-stopped-or-unhealthy").continueOnFailure())
                .isTrue();
        assertThat(rb001.steps()).filteredOn(ImportedStep::continueOnFailure).hasSize(1);

        ImportedRunbook rb008 = r.runbooks().stream()
                .filter(rb -> rb.id().equals("rb-008"))
                .findFirst()
                .orElseThrow();
        assertThat(rb008.choices()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("source");
            assertThat(c.values()).containsExactly("local-file", "s3");
        });
        assertThat(rb008.steps())
                .filteredOn(s -> s.when() != null)
                .extracting(ImportedStep::when)
                .containsExactly("[params.source] == local-file", "[params.source] == s3");

        // "Target RTO: ≤ 2 hours." in RB-009's text; the document's own "RTO Target" line is outside every runbook
        assertThat(r.runbooks())
                .filteredOn(rb -> rb.target() != null)
                .extracting(ImportedRunbook::id, ImportedRunbook::target)
                .containsExactly(Tuple.tuple("rb-009", "2h"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "001_4fd509d1758e3b1e",
                "003_68e48358983334a8",
                "000_862ba3f4df23e4a4",
                "002_f14e90be92a12c2f",
                "004_d1634b210b8cf36b"
            })
    void theImportedYamlLoadsAsConfiguration(String seed) throws Exception {
        Path file = Files.writeString(
                dir.resolve(seed + ".yaml"),
                MarkdownImport.convert(Seeds.text(seed)).yaml());
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(config.runbooks().runbooks()).isNotEmpty();
    }

    @Test
    void aMarkdownSourceWithLevelsAndAFailureParagraph() throws Exception {
        ImportResult r = MarkdownImport.convert("""
                # Restart the worker

                RTO target: 15 minutes

                ## Restart (2 minutes)

                ```bash
                systemctl restart worker
                ```

                If the restart fails:

                ```bash
                journalctl -u worker -n 200 --no-pager
                ```

                ## Rollback

                ### Put the old build back

                ```bash
                ln -sfn /opt/worker/previous /opt/worker/current
                ```

                ## Watch it

                ```bash
                journalctl -u worker -f
                ```
                """);
        ImportedRunbook rb = r.runbooks().getFirst();
        assertThat(rb.target()).isEqualTo("15m");
        assertThat(rb.steps())
                .extracting(ImportedStep::id, ImportedStep::when, ImportedStep::target, ImportedStep::continueOnFailure)
                .containsExactly(
                        Tuple.tuple("restart", null, "2m", true),
                        Tuple.tuple("restart-2", "[steps.restart.status] == failed", "2m", false),
                        Tuple.tuple("watch-it", null, null, false));
        assertThat(rb.rollback()).extracting(ImportedStep::id).containsExactly("put-the-old-build-back");
        assertThat(r.unconverted())
                .extracting(Unconverted::kind, Unconverted::line)
                .containsExactly(Tuple.tuple("endless", 28));
        assertThat(r.yaml()).contains("    rollback:\n      - id: put-the-old-build-back\n");
    }
}
