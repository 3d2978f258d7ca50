package dev.opsdeck.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import dev.opsdeck.store.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same runs recorded in a PostgreSQL store (the other tests use the embedded SQLite one). */
class RunsOnPostgresTest {
    @TempDir
    Path dir;

    @Test
    void runsStepsApprovalsAndLastTestedOnPostgres() throws Exception {
        try (RunbookFixture f = new RunbookFixture(dir, """
                runbooks:
                  rb:
                    params: { key: { secret: true, required: true } }
                    steps:
                      - { id: probe, type: shell, run: 'echo "v=7 key=$K"; exit 3', expect_exit: [3], env: { K: "{{params.key}}" }, extract: { v: { regex: "v=(\\\\d+)" } } }
                      - { id: gate, type: approval, role: operator }
                      - { id: skipped, type: shell, run: "true", when: "[steps.probe.v] > 7" }
                """, TestDatabases.postgres())) {
            Run run = f.runbooks.start("rb", Map.of("key", "pg-secret-1"), "alice", 42L);
            f.await(run.id(), Run.Status.WAITING_APPROVAL);
            f.runbooks.approve(run.id(), new Runbooks.Actor("bob", Role.OPERATOR), true, "ok");
            Run done = f.await(run.id());
            assertThat(done.status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(done.incidentId()).isEqualTo(42L);
            assertThat(done.params()).containsEntry("key", "***");
            StepRun probe = f.step(run.id(), "probe");
            assertThat(probe.exitCode()).isEqualTo(3);
            assertThat(probe.output()).isEqualTo("v=7 key=***\n");
            assertThat(probe.extracted()).containsEntry("v", "7");
            assertThat(f.step(run.id(), "gate").decidedBy()).isEqualTo("bob");
            assertThat(f.step(run.id(), "skipped").status()).isEqualTo(StepRun.Status.SKIPPED);
            assertThat(f.runbooks.catalogue().getFirst().lastSuccessMs()).isEqualTo(done.endedMs());
            assertThat(f.events).extracting(Run::status).contains(Run.Status.SUCCEEDED);
        }
    }
}
