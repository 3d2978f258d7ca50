package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCheckTest {
    @TempDir
    Path dir;

    @Test
    void measuresTheFileSystemOfThePath() throws Exception {
        Observation o = observe("type: disk\npath: " + dir);
        assertThat(o.failure()).isNull();
        long total = ((Observation.Size) o.get("TOTAL_BYTES")).bytes();
        long free = ((Observation.Size) o.get("FREE_BYTES")).bytes();
        assertThat(total).isPositive();
        assertThat(free).isBetween(0L, total);
        assertThat((double) o.get("USED_PERCENT")).isBetween(0.0, 100.0);
        assertThat(((Observation.Size) o.get("USED_BYTES")).bytes()).isBetween(0L, total);
    }

    @Test
    void worksOnAFileAndWithSizeAndPercentConditions() throws Exception {
        Path file = Files.writeString(dir.resolve("data.db"), "x");
        CheckResult r = run("""
                type: disk
                path: %s
                conditions: ["[FREE_BYTES] > 1KB", "[USED_PERCENT] <= 100%%", "[TOTAL_BYTES] > 1MB"]
                """.formatted(file));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        r = run("type: disk\npath: " + dir + "\nconditions: [\"[FREE_BYTES] > 1000TB\"]");
        assertThat(r.message()).matches("\\[FREE_BYTES]: expected > 1000TB, got [\\d.]+[KMGT]?B");
    }

    @Test
    void missingPathIsAClearFailure() {
        CheckResult r = run("type: disk\npath: " + dir.resolve("not/mounted"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("path not found: " + dir.resolve("not/mounted"));
    }

    @Test
    void pathIsRequired() {
        assertThat(TestChecks.problems("type: disk\npaht: /"))
                .contains("file:6:9: services.x.checks.y: unknown key 'paht' (hint: did you mean 'path'?)");
    }
}
