package dev.opsdeck.runbook.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every seed imported, checked runbook by runbook; the seeds are text copied from rendered pages. */
class MarkdownImportSeedsTest {
    private static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final Set<String> STEP_TYPES = Set.of("shell", "approval");

    private static ImportResult seed(String name) throws Exception {
        return MarkdownImport.convert(Seeds.text(name));
    }

    private static ImportedRunbook runbook(ImportResult r, String id) {
        return r.runbooks().stream()
                .filter(rb -> rb.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> stepIds(ImportedRunbook rb) {
        return rb.steps().stream().map(ImportedStep::id).toList();
    }

    @Test
    void troubleshootingRunbooksBecomeRb001ToRb013() throws Exception {
        ImportResult r = seed("001_4fd509d1758e3b1e");
        assertThat(r.fromRenderedText()).isTrue();
        assertThat(r.runbooks())
                .extracting(ImportedRunbook::id)
                .containsExactly(
                        "rb-001", "rb-002", "rb-003", "rb-004", "rb-005", "rb-006", "rb-007", "rb-008", "rb-009",
                        "rb-010", "rb-011", "rb-012", "rb-013");
        assertThat(r.runbooks())
                .extracting(ImportedRunbook::title)
                .containsExactly(
                        "PostgreSQL Failure",
                        "Indexer Not Processing Events",
                        "API Gateway Returning 5xx Errors",
                        "Nginx / TLS Issues",
                        "Redis Cache Failure",
                        "High Database Query Latency",
                        "Stellar Network Degraded",
                        "Database Restore (From Backup)",
                        "Complete Host Rebuild",
                        "High CPU / Memory Usage",
                        "Disk Space Warning",
                        "PostgreSQL Connection Exhaustion",
                        "Redis Down / Low Hit Rate");
        assertThat(r.runbooks())
                .extracting(rb -> rb.steps().size())
                .containsExactly(9, 7, 5, 5, 3, 5, 2, 8, 5, 3, 3, 2, 1);
        assertThat(r.runbooks())
                .extracting(ImportedRunbook::line)
                .containsExactly(73, 118, 167, 198, 232, 255, 294, 322, 364, 423, 437, 451, 464);
    }

    @Test
    void rb001HasItsDiagnosisAndResolutionAsConfirmedShellSteps() throws Exception {
        ImportedRunbook rb = runbook(seed("001_4fd509d1758e3b1e"), "rb-001");
        assertThat(stepIds(rb))
                .containsExactly(
                        "check-container-status",
                        "check-health",
                        "review-recent-logs",
                        "check-disk-space-full-disk-is-a-common-cause",
                        "restart-if-stopped-or-unhealthy",
                        "if-restart-fails-check-for-data-corruption",
                        "if-disk-is-full-clear-docker-build-cache",
                        "after-postgresql-is-healthy-restart-dependent",
                        "verify-full-recovery");
        assertThat(rb.steps()).allSatisfy(s -> assertThat(s.type()).isEqualTo("shell"));
        assertThat(rb.steps().get(4).title()).isEqualTo("Restart if stopped or unhealthy");
        assertThat(rb.steps().get(4).run())
                .isEqualTo("docker compose restart postgres\n# Wait 30 seconds, then verify:\n"
                        + "docker compose ps postgres   # Should show \"healthy\"\n");
        assertThat(rb.steps().get(8).run())
                .isEqualTo("curl -sf http://localhost:4000/health\ncurl -sf http://localhost:3000/health\n");
        assertThat(rb.params()).isEmpty();
        assertThat(rb.description())
                .startsWith("Symptoms: Indexer cannot connect to database;")
                .contains("#### Diagnosis", "#### 2. If restart fails — check for data corruption");
    }

    @Test
    void rb002PlaceholdersBecomeParametersTheScriptReadsFromItsEnvironment() throws Exception {
        ImportedRunbook rb = runbook(seed("001_4fd509d1758e3b1e"), "rb-002");
        assertThat(rb.params())
                .containsExactly(
                        new ImportedParam("admin_key", "ADMIN_KEY", "$ADMIN_KEY", true, 164),
                        new ImportedParam("start", "START", "<START>", false, 165),
                        new ImportedParam("end", "END", "<END>", false, 165));
        ImportedStep replay = rb.steps().get(rb.steps().size() - 1);
        assertThat(replay.id()).isEqualTo("trigger-event-replay-if-gaps-exist");
        // <START> stood inside single quotes: the quote is closed around a double-quoted reference
        assertThat(replay.run())
                .isEqualTo("curl -X POST http://localhost:3000/events/replay \\\n"
                        + "  -H \"Authorization: Bearer $ADMIN_KEY\" \\\n"
                        + "  -d '{\"from_ledger\": '\"$START\"', \"to_ledger\": '\"$END\"'}'\n");
        assertThat(replay.env())
                .containsExactly(
                        Map.entry("ADMIN_KEY", "{{params.admin_key}}"),
                        Map.entry("START", "{{params.start}}"),
                        Map.entry("END", "{{params.end}}"));
    }

    @Test
    void rb008And005ParametersAndRb013WithoutCommands() throws Exception {
        ImportResult r = seed("001_4fd509d1758e3b1e");
        ImportedRunbook rb008 = runbook(r, "rb-008");
        assertThat(rb008.params()).extracting(ImportedParam::name).containsExactly("timestamp");
        assertThat(rb008.steps().get(3).run())
                .isEqualTo(
                        "# From local file\n./scripts/restore.sh /var/backups/stellarescrow/stellar_escrow_\"$TIMESTAMP\".sql.gz\n");
        assertThat(runbook(r, "rb-005").params())
                .containsExactly(new ImportedParam("redis_password", "REDIS_PASSWORD", "$REDIS_PASSWORD", true, 246));
        ImportedRunbook rb013 = runbook(r, "rb-013");
        assertThat(rb013.steps()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("approval");
            assertThat(s.prompt()).isEqualTo("No commands to run: work through the description, then approve.");
        });
        assertThat(rb013.description()).contains("check TTL configuration in indexer/src/cache.rs");
    }

    @Test
    void troubleshootingRunbooksListWhatTheyCouldNotConvert() throws Exception {
        List<Unconverted> notes = seed("001_4fd509d1758e3b1e").unconverted();
        assertThat(notes)
                .filteredOn(u -> u.kind().equals("outside"))
                .extracting(Unconverted::line)
                .containsExactly(23, 31, 34, 42, 70, 291, 319, 361, 412, 421);
        assertThat(notes)
                .filteredOn(u -> u.kind().equals("sql"))
                .containsExactly(new Unconverted(
                        279,
                        "sql",
                        "SELECT pg_terminate_backend(<pid>);",
                        "a SQL statement: write a sql step with a datasource for it"));
        assertThat(notes)
                .filteredOn(u -> u.kind().equals("docker"))
                .hasSize(40)
                .first()
                .isEqualTo(new Unconverted(
                        80,
                        "docker",
                        "docker compose ps postgres",
                        "assumes Docker containers: the step keeps it as written; replace"
                                + " it with the host's own command (systemctl, pg_ctlcluster, redis-cli) where the service does not"
                                + " run in Docker"));
        assertThat(notes)
                .filteredOn(u -> u.kind().equals("note"))
                .extracting(Unconverted::line)
                .containsExactly(148);
        assertThat(notes)
                .filteredOn(u -> u.kind().equals("empty"))
                .extracting(Unconverted::text)
                .containsExactly("Redis Down / Low Hit Rate");
        assertThat(notes).extracting(Unconverted::line).isSorted();
    }

    @Test
    void redeployRunbookIsOneRunbookWithItsChecklistsAsApprovals() throws Exception {
        ImportResult r = seed("003_68e48358983334a8");
        ImportedRunbook rb = r.runbooks().get(0);
        assertThat(r.runbooks()).hasSize(1);
        assertThat(rb.id()).isEqualTo("backend-redeployment-runbook");
        assertThat(rb.title()).isEqualTo("Backend Redeployment Runbook");
        assertThat(rb.steps().size() + rb.rollback().size()).isEqualTo(86);
        List<ImportedStep> approvals =
                rb.steps().stream().filter(s -> s.type().equals("approval")).toList();
        assertThat(approvals)
                .extracting(ImportedStep::id)
                .containsExactly("pre-deployment-checklist", "verification-checklist");
        assertThat(approvals.get(0).prompt())
                .isEqualTo("Confirm each item of \"Pre-Deployment Checklist\":\n"
                        + "- Verify backup exists (database, config)\n- Notify team via Slack/PagerDuty\n- Create incident ticket\n"
                        + "- Check current version and document\n- Review recent changes in git log\n"
                        + "- Verify health of dependencies (database, RPC)\n- Prepare rollback plan\n"
                        + "- Schedule maintenance window (if planned)");
        assertThat(approvals.get(1).prompt().lines().count()).isEqualTo(14); // the heading line and 13 items
        assertThat(rb.params())
                .containsExactly(
                        new ImportedParam("slack_webhook_url", "SLACK_WEBHOOK_URL", "$SLACK_WEBHOOK_URL", true, 477));
        assertThat(stepIds(rb))
                .contains("check-if-service-is-running", "wait-for-service-to-be-ready", "test-vault-summary");
        assertThat(rb.rollback())
                .extracting(ImportedStep::id)
                .contains("stop-current-container", "start-previous-version");
        ImportedStep wait = rb.steps().stream()
                .filter(s -> s.id().equals("wait-for-service-to-be-ready"))
                .findFirst()
                .orElseThrow();
        assertThat(wait.run())
                .startsWith("# Wait for service to be ready\nfor i in {1..30}; do\n")
                .endsWith("  sleep 2\ndone\n");
        assertThat(r.unconverted())
                .filteredOn(u -> u.kind().equals("output"))
                .extracting(Unconverted::line)
                .containsExactly(328, 346);
        assertThat(r.unconverted()).filteredOn(u -> u.kind().equals("note")).hasSize(10);
        assertThat(r.unconverted()).filteredOn(u -> u.kind().equals("docker")).hasSize(12);
    }

    @Test
    void operatorManualWithItsEmergencyProceduresInTheDescription() throws Exception {
        ImportResult r = seed("000_862ba3f4df23e4a4");
        ImportedRunbook rb = r.runbooks().get(0);
        assertThat(rb.id()).isEqualTo("operator-manual");
        assertThat(rb.title()).isEqualTo("Operator Manual");
        assertThat(stepIds(rb))
                .containsExactly(
                        "initial-deployment-coolify-on-heliohost-vps",
                        "verification-checklist",
                        "maintenance-tasks",
                        "port-conflicts",
                        "disk-full");
        assertThat(rb.steps().get(0).run()).isEqualTo("docker --version && docker compose version\n");
        assertThat(rb.steps().get(1).prompt())
                .startsWith("Confirm each item of \"Verification Checklist\":\n"
                        + "- App reachable over HTTPS with valid certificate");
        assertThat(rb.description())
                .contains(
                        "Emergency Procedures",
                        "- Roll Back a Bad Deploy",
                        "- Revoke affected keys immediately; rotate secrets in Coolify and redeploy.");
        assertThat(r.unconverted()).extracting(Unconverted::kind).containsOnly("docker");
        assertThat(r.unconverted()).extracting(Unconverted::line).containsExactly(57, 125, 176);
    }

    @Test
    void dayToDayGuideAndProductionChecklistImportWithTheirTables() throws Exception {
        ImportResult ops = seed("002_f14e90be92a12c2f");
        assertThat(ops.runbooks()).singleElement().satisfies(rb -> {
            assertThat(rb.id()).isEqualTo("stellarescrow-day-to-day-platform-management");
            assertThat(rb.steps()).hasSize(4);
            assertThat(rb.params()).extracting(ImportedParam::placeholder).containsExactly("<url>", "<TIMESTAMP>");
        });
        assertThat(ops.unconverted())
                .filteredOn(u -> u.kind().equals("table"))
                .extracting(Unconverted::line)
                .containsExactly(23, 34);
        // the copied page glued prose and table rows onto these commands ("json.tool| Schedule | Task |...")
        assertThat(ops.unconverted())
                .filteredOn(u -> u.kind().equals("incomplete"))
                .extracting(Unconverted::line)
                .containsExactly(11, 70);
        ImportResult prod = seed("004_d1634b210b8cf36b");
        assertThat(prod.runbooks()).singleElement().satisfies(rb -> {
            assertThat(rb.id()).isEqualTo("production-checklist");
            assertThat(rb.title()).isEqualTo("Production Checklist");
            assertThat(rb.steps())
                    .extracting(ImportedStep::type)
                    .containsExactly("approval", "shell", "shell", "approval");
        });
        assertThat(prod.unconverted())
                .filteredOn(u -> u.kind().equals("table"))
                .extracting(Unconverted::line)
                .containsExactly(42, 54);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyImportedScriptIsValidShellSyntaxOrReportedIncomplete(String name) throws Exception {
        ImportResult r = seed(name);
        Set<Integer> reported = new HashSet<>();
        r.unconverted().stream().filter(u -> u.kind().equals("incomplete")).forEach(u -> reported.add(u.line()));
        for (ImportedRunbook rb : r.runbooks()) {
            for (ImportedStep step : rb.steps()) {
                if (step.run() == null || reported.contains(step.line())) continue;
                Process p = new ProcessBuilder("/bin/bash", "-n", "-c", step.run())
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor())
                        .as("%s/%s (line %d): %s%n%s", rb.id(), step.id(), step.line(), out, step.run())
                        .isZero();
            }
        }
    }

    static List<String> seeds() {
        return Seeds.ALL;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    @SuppressWarnings("unchecked")
    void everySeedGivesYamlOfTheAgreedShape(String name) throws Exception {
        ImportResult r = seed(name);
        Map<String, Map<String, Object>> runbooks = Seeds.runbooks(r.yaml());
        assertThat(runbooks.keySet())
                .containsExactlyElementsOf(
                        r.runbooks().stream().map(ImportedRunbook::id).toList());
        runbooks.forEach((id, rb) -> {
            assertThat(id).matches(ID);
            assertThat(rb).containsKeys("title", "steps");
            assertThat(rb.keySet()).isSubsetOf("title", "description", "target", "params", "steps", "rollback");
            List<Map<String, Object>> steps = (List<Map<String, Object>>) rb.get("steps");
            assertThat(steps).isNotEmpty();
            List<Map<String, Object>> all = new ArrayList<>(steps);
            all.addAll((List<Map<String, Object>>) rb.getOrDefault("rollback", List.of()));
            assertThat(all)
                    .extracting(s -> (String) s.get("id"))
                    .doesNotHaveDuplicates()
                    .allMatch(s -> ID.matcher(s).matches());
            for (Map<String, Object> step : all) {
                assertThat(STEP_TYPES).contains((String) step.get("type"));
                if (step.get("type").equals("shell")) {
                    assertThat(step.get("confirm")).isEqualTo(true);
                    assertThat((String) step.get("run")).doesNotContain("{{");
                    assertThat(step.keySet())
                            .isSubsetOf("id", "title", "type", "when", "target", "on_failure", "run", "env", "confirm");
                } else {
                    assertThat(step.keySet()).containsExactly("id", "title", "type", "role", "prompt");
                }
            }
            Map<String, Map<String, Object>> params =
                    (Map<String, Map<String, Object>>) rb.getOrDefault("params", Map.of());
            params.forEach((p, def) -> {
                assertThat(p).matches("^[a-z][a-z0-9_]*$");
                assertThat(def).containsEntry("type", "string");
                if (def.containsKey("allowed")) {
                    assertThat((List<String>) def.get("allowed"))
                            .hasSizeGreaterThanOrEqualTo(2)
                            .contains((String) def.get("default"));
                } else {
                    assertThat(def).containsEntry("required", true);
                }
            });
        });
    }
}
