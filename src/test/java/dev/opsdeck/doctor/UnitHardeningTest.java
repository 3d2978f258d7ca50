package dev.opsdeck.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.config.OpsdeckConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/production/opsdeck.service: systemd itself accepts it ({@code systemd-analyze verify}, where installed),
 * and {@code opsdeck doctor --unit} passes it and fails each hardening directive taken away, through the {@code
 * systemd} check type reading the real file and its drop-ins.
 */
class UnitHardeningTest {
    static final Path UNIT = ProductionExampleTest.EXAMPLE.resolve("opsdeck.service");
    static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    OpsdeckConfig config() {
        return ProductionExampleTest.load(ProductionExampleTest.EXAMPLE.resolve("opsdeck.yaml"));
    }

    /** The example with {@code from} replaced by {@code to} (which must be there), as dir/opsdeck.service. */
    Path edited(String from, String to) throws IOException {
        String text = Files.readString(UNIT);
        assertThat(text).contains(from);
        return Files.writeString(dir.resolve("opsdeck.service"), text.replace(from, to));
    }

    List<Finding> unitFindings(Path unit) {
        return Doctor.examine(config(), BootstrapState.CHANGED, unit).stream()
                .filter(f -> f.id().startsWith("unit-"))
                .toList();
    }

    Finding find(Path unit, String id) {
        return unitFindings(unit).stream()
                .filter(f -> f.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    /** systemd-analyze verify FILE: its exit code and everything it printed. */
    static Result verify(Path file) throws Exception {
        Process p = new ProcessBuilder(ANALYZE.toString(), "verify", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    record Result(int code, String output) {}

    /**
     * verify also checks that ExecStart's program exists: the copy runs the JVM running this test, with the unit's
     * arguments, so the check is real on a host without /usr/bin/java too.
     */
    Path verifiable(String from, String to) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String text = Files.readString(UNIT).replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " ");
        assertThat(text).contains(from);
        return Files.writeString(dir.resolve("opsdeck.service"), text.replace(from, to));
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnitWithoutAWarning() throws Exception {
        assumeTrue(
                Files.isExecutable(ANALYZE),
                "systemd-analyze is not installed here; opsdeck doctor --unit still checks the hardening");
        Result ok = verify(verifiable("[Unit]", "[Unit]"));
        assertThat(ok.code()).as(ok.output()).isZero();
        // verify exits 0 on directives it ignores, with a line naming the file: there must be none
        assertThat(ok.output()
                        .lines()
                        .filter(l -> l.contains("opsdeck.service"))
                        .toList())
                .isEmpty();

        Result bad = verify(verifiable("ProtectSystem=strict", "ProtectSystem=stricter"));
        assertThat(bad.output()).contains("opsdeck.service:").contains("stricter");
        Result unknown = verify(verifiable("NoNewPrivileges=yes", "NoNewPrivilege=yes"));
        assertThat(unknown.output()).contains("Unknown key").contains("NoNewPrivilege");
    }

    @Test
    void doctorPassesEveryHardeningItemOfTheExample() {
        List<Finding> unit = unitFindings(UNIT);
        assertThat(unit)
                .extracting(Finding::id)
                .containsExactly(
                        "unit-user",
                        "unit-protect-system",
                        "unit-read-write-paths",
                        "unit-no-new-privileges",
                        "unit-private-tmp",
                        "unit-protect-home",
                        "unit-limit-nofile",
                        "unit-restart");
        assertThat(unit).allSatisfy(f -> assertThat(f.outcome()).as(f.refusal()).isEqualTo(Finding.Outcome.PASS));
        // after the configuration's items, in the same list
        List<Finding> all = Doctor.examine(config(), BootstrapState.CHANGED, UNIT);
        assertThat(all.getFirst().id()).isEqualTo("store-postgresql");
        assertThat(all.getLast().id()).isEqualTo("unit-restart");
    }

    @Test
    void eachDirectiveTakenAwayFailsItsItemWithTheFix() throws Exception {
        record Case(String id, String from, String to, String fix) {}
        List<Case> cases = List.of(
                new Case(
                        "unit-user",
                        "User=opsdeck",
                        "User=root",
                        "User=opsdeck in [Service] (a system user that owns only the data directory)"),
                new Case(
                        "unit-protect-system",
                        "ProtectSystem=strict",
                        "ProtectSystem=full",
                        "ProtectSystem=strict in [Service]"),
                new Case(
                        "unit-read-write-paths",
                        "ReadWritePaths=/var/lib/opsdeck",
                        "ReadWritePaths=/var/lib/other",
                        "ReadWritePaths=DATA_DIR in [Service]"),
                new Case(
                        "unit-no-new-privileges",
                        "NoNewPrivileges=yes",
                        "NoNewPrivileges=no",
                        "NoNewPrivileges=yes in [Service]"),
                new Case("unit-private-tmp", "PrivateTmp=yes", "#PrivateTmp=yes", "PrivateTmp=yes in [Service]"),
                new Case("unit-protect-home", "ProtectHome=yes", "ProtectHome=no", "ProtectHome=yes in [Service]"),
                new Case(
                        "unit-limit-nofile",
                        "LimitNOFILE=65536",
                        "LimitNOFILE=1024",
                        "LimitNOFILE=65536 in [Service] (every check, connection and file counts)"),
                new Case("unit-restart", "Restart=on-failure", "Restart=no", "Restart=on-failure in [Service]"));
        for (Case c : cases) {
            Path unit = edited(c.from(), c.to());
            List<Finding> found = unitFindings(unit);
            List<String> failed = new ArrayList<>();
            found.stream().filter(f -> f.outcome() != Finding.Outcome.PASS).forEach(f -> failed.add(f.id()));
            assertThat(failed).as(c.to()).containsExactly(c.id());
            Finding f = find(unit, c.id());
            assertThat(f.outcome()).isEqualTo(Finding.Outcome.FAIL);
            assertThat(f.fix()).isEqualTo(c.fix());
            assertThat(f.detail()).as(c.id()).isNotBlank();
        }
        assertThat(find(edited("PrivateTmp=yes", "#PrivateTmp=yes"), "unit-private-tmp")
                        .detail())
                .contains("PrivateTmp");
        // a production start refuses only on the configuration: the unit is doctor's to check
        assertThat(Doctor.productionBlockers(config(), BootstrapState.CHANGED))
                .extracting(Finding::id)
                .noneMatch(id -> id.startsWith("unit-"));
    }

    @Test
    void aDropInLoosensTheUnitAndDoctorSaysWhere() throws Exception {
        Path unit = Files.copy(UNIT, dir.resolve("opsdeck.service"));
        Path dropIns = Files.createDirectory(dir.resolve("opsdeck.service.d"));
        Files.writeString(dropIns.resolve("10-debug.conf"), "[Service]\nProtectSystem=\nNoNewPrivileges=false\n");
        List<String> failed = unitFindings(unit).stream()
                .filter(f -> f.outcome() == Finding.Outcome.FAIL)
                .map(Finding::id)
                .toList();
        assertThat(failed).containsExactly("unit-protect-system", "unit-no-new-privileges");
    }

    @Test
    void aFileWhoseNameIsNotAUnitNameIsRefused() throws Exception {
        Path odd = Files.copy(UNIT, dir.resolve("opsdeck.service.orig"));
        assertThatThrownBy(() -> Doctor.examine(config(), BootstrapState.CHANGED, odd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"opsdeck.service.orig\" is not a unit name");
    }
}
