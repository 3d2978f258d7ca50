package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.ProbeContext;
import dev.opsdeck.probe.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdCheckTest {
    @TempDir
    Path dir;

    Path etc;
    Path lib;

    @BeforeEach
    void units() throws Exception {
        etc = Files.createDirectories(dir.resolve("etc/systemd/system"));
        lib = Files.createDirectories(dir.resolve("usr/lib/systemd/system"));
        Files.writeString(lib.resolve("opsdeck.service"), """
                [Unit]
                Description=Opsdeck
                After=network-online.target

                [Service]
                # packaged defaults
                ExecStart=/usr/bin/opsdeck serve
                ProtectSystem=full
                NoNewPrivileges=no
                ReadWritePaths=/tmp/old
                LimitNOFILE=1024
                TasksMax=infinity
                PrivateTmp=1
                Environment=A=1 \\
                  B=2

                [Install]
                WantedBy=multi-user.target
                """);
        Path drop = Files.createDirectories(etc.resolve("opsdeck.service.d"));
        Files.writeString(drop.resolve("10-harden.conf"), """
                [Service]
                ProtectSystem=strict
                NoNewPrivileges=yes
                ReadWritePaths=
                ReadWritePaths=/var/lib/opsdeck
                """);
        Files.writeString(drop.resolve("20-limits.conf"), """
                [Service]
                ReadWritePaths=/var/log/opsdeck
                LimitNOFILE=65536:131072
                """);
        Files.writeString(drop.resolve("ignored.txt"), "[Service]\nProtectSystem=no\n");
    }

    private String check(String extra) {
        return "type: systemd\nunit: opsdeck.service\nunit_dirs: [" + etc + ", " + lib + "]\n" + extra;
    }

    @Test
    @SuppressWarnings("unchecked")
    void mergesTheUnitFileAndItsDropInsInSystemdsOrder() throws Exception {
        Observation o = observe(check(""));
        assertThat(o.failure()).isNull();
        assertThat(o.get("EXISTS")).isEqualTo(true);
        assertThat(o.get("FILE")).isEqualTo(lib.resolve("opsdeck.service").toString());
        Path drop = etc.resolve("opsdeck.service.d");
        assertThat(o.get("DROP_INS")).isEqualTo(drop.resolve("10-harden.conf") + " " + drop.resolve("20-limits.conf"));
        Map<String, Object> service = (Map<String, Object>) o.get("SERVICE");
        assertThat(service)
                .containsEntry("ProtectSystem", "strict")
                .containsEntry("NoNewPrivileges", true)
                .containsEntry("ReadWritePaths", "/var/lib/opsdeck /var/log/opsdeck") // "=" reset the packaged one
                .containsEntry("LimitNOFILESoft", 65536L)
                .containsEntry("LimitNOFILE", 131072L)
                .containsEntry("TasksMax", Double.POSITIVE_INFINITY)
                .containsEntry("PrivateTmp", true)
                .containsEntry("Environment", "A=1  B=2");
        assertThat(((Map<String, Object>) o.get("INSTALL"))).containsEntry("WantedBy", "multi-user.target");
        Map<String, Map<String, Object>> source = (Map<String, Map<String, Object>>) o.get("SOURCE");
        assertThat(source.get("Service"))
                .containsEntry("ProtectSystem", drop.resolve("10-harden.conf") + ":2")
                .containsEntry(
                        "ReadWritePaths",
                        drop.resolve("10-harden.conf") + ":5, " + drop.resolve("20-limits.conf") + ":2");
    }

    @Test
    void conditionsReadDirectivesAsTextNumbersAndBooleans() {
        CheckResult r = run(check("""
                conditions:
                  - "[Service].ProtectSystem == strict"
                  - "[SERVICE].NoNewPrivileges == true"
                  - "[Service].LimitNOFILE >= 131072"
                  - "[Service].LimitNOFILESoft >= 65536"
                  - "[Service].TasksMax == infinity"
                  - "[Service].TasksMax > 100000"
                  - "[Service].ReadWritePaths == pat(*/var/lib/opsdeck*)"
                  - "[Install].WantedBy == multi-user.target"
                  - "[Unit].Description == Opsdeck"
                  - "[SOURCE].Service.ProtectSystem == pat(*10-harden.conf:2)"
                """));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.message()).isEqualTo("10/10 conditions hold");
        r = run(check("""
                conditions:
                  - "[Service].LimitNOFILE >= 262144"
                  - "[Service].ProtectHome == true"
                  - "[Service].ProtectSystem == full"
                """));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo("[Service].LimitNOFILE: expected >= 262144, got 131072; "
                        + "[Service].ProtectHome: no field \"ProtectHome\"; "
                        + "[Service].ProtectSystem: expected full, got \"strict\"");
    }

    @Test
    void explicitUnitFileWithItsOwnDropInsAndATimer() throws Exception {
        Path timer = Files.writeString(dir.resolve("backup.timer"), """
                [Timer]
                OnCalendar=daily
                Persistent=true
                """);
        Files.createDirectories(dir.resolve("backup.timer.d"));
        Files.writeString(
                dir.resolve("backup.timer.d/override.conf"), "[Timer]\nOnCalendar=\nOnCalendar=*-*-* 02:30\n");
        CheckResult r = run("""
                type: systemd
                unit: backup.timer
                unit_file: %s
                conditions: ["[Timer].OnCalendar == '*-*-* 02:30'", "[TIMER].Persistent == true", "[FILE] == %s"]
                """.formatted(timer, timer));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void missingUnitIsAClearFailureUnlessAConditionAsksWhetherItExists() {
        CheckResult r = run("type: systemd\nunit: nope.service\nunit_dirs: [" + etc + ", " + lib + "]");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("unit nope.service not found in " + etc + ", " + lib);
        r = run("type: systemd\nunit: nope.service\nunit_dirs: [" + etc + "]\nconditions: [\"[EXISTS] == false\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        r = run("type: systemd\nunit: x.service\nunit_file: " + dir.resolve("x.service"));
        assertThat(r.message()).isEqualTo("unit file " + dir.resolve("x.service") + " not found");
    }

    @Test
    void aMaskedUnitSaysSo() throws Exception {
        Files.createSymbolicLink(etc.resolve("opsdeck.service"), Path.of("/dev/null"));
        CheckResult r = run(check(""));
        assertThat(r.message())
                .isEqualTo(
                        "unit opsdeck.service is masked (" + etc.resolve("opsdeck.service") + " links to /dev/null)");
    }

    @Test
    void instancesFallBackToTheirTemplate() throws Exception {
        Files.writeString(lib.resolve("worker@.service"), "[Service]\nUser=worker\n");
        Files.createDirectories(etc.resolve("worker@2.service.d"));
        Files.writeString(etc.resolve("worker@2.service.d/mem.conf"), "[Service]\nMemoryMax=2G\n");
        CheckResult r = run("type: systemd\nunit: worker@2.service\nunit_dirs: [" + etc + ", " + lib + "]\n"
                + "conditions: [\"[Service].User == worker\", \"[Service].MemoryMax == 2G\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void liveModeWithoutSystemdFailsClearlyAndAutoReadsTheFile() {
        // this host does not run systemd (no /run/systemd/system), as in most containers
        Status auto = run(check("live: auto\nconditions: [\"[Service].ProtectSystem == strict\"]"))
                .status();
        if (Files.isDirectory(Systemctl.BOOTED)) return; // a host with systemd answers differently
        assertThat(auto).isEqualTo(Status.UP);
        CheckResult r = run(check("live: true"));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).startsWith("systemd is not running on this host");
        r = run(check("conditions: [\"[LAST_TRIGGER] < 25h\"]"));
        assertThat(r.message()).startsWith("systemd is not running on this host");
    }

    @Test
    void whereSystemdSeemsBootedSystemctlIsAskedWithAFixedArgumentList() throws Exception {
        // a boot marker without a working systemd: the real systemctl is run (when installed) and its refusal shown
        Path booted = Files.createDirectories(dir.resolve("run/systemd/system"));
        Path file = TestChecks.write(check("live: true"));
        Problems problems = new Problems();
        OpsdeckConfig config = ConfigLoader.standard().load(file, problems);
        CheckDef def = config.checks().get(0);
        var fields = def.typeFields(problems);
        try (var probe = new SystemdCheck(booted).configure(def, fields)) {
            fields.finish();
            Observation o = probe.observe(new ProbeContext(def.timeout()));
            if (Systemctl.find(booted) == null) {
                assertThat(o.failure()).startsWith("systemd is not running on this host");
            } else if (!Files.isDirectory(Systemctl.BOOTED)) {
                assertThat(o.failure()).startsWith("systemctl show opsdeck.service exited with ");
            }
        }
    }

    @Test
    void hostileOrMalformedSettingsAreRefusedAtLoad() {
        for (String bad : new String[] {
            "\"../../etc/passwd\"", "\"x.service; rm -rf /\"", "\"-H evil.service\"", "opsdeck", "\"a/b.service\""
        }) {
            assertThat(TestChecks.problems("type: systemd\nunit: " + bad))
                    .singleElement()
                    .asString()
                    .contains(".unit: \"")
                    .contains("\" is not a unit name");
        }
        assertThat(TestChecks.problems("type: systemd\nunit: a.service\nlive: maybe"))
                .containsExactly(
                        "file:7:15: services.x.checks.y.live: unknown value \"maybe\" (hint: one of auto, true, false)");
        assertThat(TestChecks.problems(
                        "type: systemd\nunit: a.service\nlive: false\nconditions: [\"[ACTIVE] == active\"]"))
                .singleElement()
                .asString()
                .contains("conditions use [ACTIVE] but live is false");
        assertThat(TestChecks.problems("type: systemd\nunit: a.service\nconditions: [\"[PROTECTSYSTEM] == strict\"]"))
                .singleElement()
                .asString()
                .contains("unknown placeholder [PROTECTSYSTEM]");
        assertThat(TestChecks.problems("type: systemd\nunit: a.service\nunit_dirs: [relative/dir]"))
                .singleElement()
                .asString()
                .contains("unit_dirs: \"relative/dir\" is not an absolute path");
        assertThat(TestChecks.problems("type: systemd"))
                .singleElement()
                .asString()
                .contains("missing required key 'unit'");
    }

    @Test
    void booleansAreNormalized() {
        for (String yes : new String[] {"yes", "true", "on", "1", "YES"}) {
            assertThat(UnitFiles.typed("NoNewPrivileges", yes)).isEqualTo(true);
        }
        for (String no : new String[] {"no", "false", "off", "0"}) {
            assertThat(UnitFiles.typed("PrivateTmp", no)).isEqualTo(false);
        }
        assertThat(UnitFiles.typed("RestartSec", "1")).isEqualTo(1L); // not a boolean directive: a number
        assertThat(UnitFiles.typed("ProtectSystem", "strict")).isEqualTo("strict");
    }

    @Test
    void systemctlOutputAndTimestamps() {
        assertThat(Systemctl.parse("ActiveState=active\nEnvironment=A=1 B=2\n"))
                .containsEntry("ActiveState", "active")
                .containsEntry("Environment", "A=1 B=2");
        assertThat(Systemctl.timestamp("@1700000000")).hasToString("2023-11-14T22:13:20Z");
        assertThat(Systemctl.timestamp("")).isNull();
        assertThat(Systemctl.timestamp("n/a")).isNull();
    }
}
