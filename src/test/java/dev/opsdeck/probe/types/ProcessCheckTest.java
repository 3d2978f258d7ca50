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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real /proc: children started here, with a program name no other process on the host has. */
class ProcessCheckTest {
    @TempDir
    Path dir;

    String name;
    Path program;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void uniqueProgram() throws Exception {
        name = "odk" + UUID.randomUUID().toString().replace("-", "").substring(0, 9);
        program = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), program);
        program.toFile().setExecutable(true);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The program under its unique name, with soft/hard open-file limits 4096/8192. */
    private Process start() throws Exception {
        Process p = new ProcessBuilder(
                        "bash", "-c", "ulimit -Sn 4096 && ulimit -Hn 8192 && exec \"$0\" 60", program.toString())
                .start();
        started.add(p);
        // bash execs the program under the same pid: wait until the kernel shows its new name
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Path comm = Path.of("/proc/" + p.pid() + "/comm");
        while (!p.isAlive() || !Files.readString(comm).strip().equals(name)) {
            if (!p.isAlive() || System.nanoTime() > until) {
                throw new AssertionError(
                        "child did not start: " + new String(p.getErrorStream().readAllBytes()));
            }
            Thread.sleep(10);
        }
        return p;
    }

    @Test
    void findsAProcessByNameAndReadsItsLimitsUserAndResources() throws Exception {
        Process p = start();
        Observation o = observe("type: process\nname: " + name);
        assertThat(o.failure()).isNull();
        assertThat(o.get("RUNNING")).isEqualTo(true);
        assertThat(o.get("PID")).isEqualTo(p.pid());
        assertThat(o.get("COUNT")).isEqualTo(1L);
        assertThat(o.get("LIMIT_NOFILE")).isEqualTo(4096L);
        assertThat(o.get("LIMIT_NOFILE_HARD")).isEqualTo(8192L);
        assertThat(o.get("USER")).isEqualTo(System.getProperty("user.name"));
        assertThat(o.get("THREADS")).isEqualTo(1L);
        assertThat(((Observation.Size) o.get("RSS")).bytes()).isPositive();
        assertThat((long) o.get("OPEN_FILES")).isGreaterThanOrEqualTo(3); // stdin, stdout, stderr
        assertThat((Duration) o.get("AGE")).isBetween(Duration.ZERO, Duration.ofSeconds(30));
        assertThat(o.get("EVIDENCE")).isEqualTo("pid " + p.pid() + " named " + name);

        CheckResult r = run("""
                type: process
                name: %s
                conditions:
                  - "[RUNNING] == true"
                  - "[LIMIT_NOFILE] >= 4096"
                  - "[LIMIT_NOFILE_HARD] == 8192"
                  - "[USER] == %s"
                  - "[RSS] < 1GB"
                  - "[AGE] < 1h"
                  - "[OPEN_FILES] < 100"
                """.formatted(name, System.getProperty("user.name")));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        r = run("type: process\nname: " + name + "\nconditions: [\"[LIMIT_NOFILE] >= 131072\"]");
        assertThat(r.message()).isEqualTo("[LIMIT_NOFILE]: expected >= 131072, got 4096");
    }

    @Test
    void severalMatchesCountAndTheOldestIsDescribed() throws Exception {
        Process first = start();
        Thread.sleep(50); // start times are kept in clock ticks (10 ms)
        start();
        Observation o = observe("type: process\nname: " + name);
        assertThat(o.get("COUNT")).isEqualTo(2L);
        assertThat(o.get("PID")).isEqualTo(first.pid());
        assertThat(o.get("EVIDENCE")).isEqualTo("2 processes named " + name + ", the oldest is pid " + first.pid());
    }

    @Test
    void pidFileOfALiveProcessAndAStaleOne() throws Exception {
        Process p = start();
        Path pidFile = Files.writeString(dir.resolve("app.pid"), p.pid() + "\n");
        CheckResult r = run("type: process\npid_file: " + pidFile + "\nconditions: [\"[PID] == " + p.pid() + "\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);

        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        r = run("type: process\npid_file: " + pidFile);
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[RUNNING]: expected true, got false");
        assertThat(r.values().get("EVIDENCE"))
                .isEqualTo("pid " + p.pid() + " from " + pidFile + " is not running (stale pid file)");
        r = run("type: process\npid_file: " + pidFile + "\nconditions: [\"[RUNNING] == false\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);

        r = run("type: process\npid_file: " + dir.resolve("gone.pid") + "\nconditions: [\"[RUNNING] == false\"]");
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.values().get("EVIDENCE")).isEqualTo("pid file " + dir.resolve("gone.pid") + " not found");
        Files.writeString(pidFile, "not a pid");
        r = run("type: process\npid_file: " + pidFile);
        assertThat(r.message()).isEqualTo("pid file " + pidFile + " does not hold a pid: \"not a pid\"");
    }

    @Test
    void theJvmItself() throws Exception {
        Path pidFile = Files.writeString(
                dir.resolve("jvm.pid"), Long.toString(ProcessHandle.current().pid()));
        Observation o = observe("type: process\npid_file: " + pidFile);
        assertThat(o.get("PID")).isEqualTo(ProcessHandle.current().pid());
        assertThat((long) o.get("THREADS")).isGreaterThan(1);
        String limits = Files.readString(Path.of("/proc/self/limits"));
        String soft = limits.lines()
                .filter(l -> l.startsWith("Max processes"))
                .findFirst()
                .orElseThrow()
                .split("\\s{2,}")[1];
        Object nproc = o.get("LIMIT_NPROC");
        Object expected = soft.equals("unlimited") ? (Object) Double.POSITIVE_INFINITY : (Object) Long.parseLong(soft);
        assertThat(nproc).isEqualTo(expected);
        CheckResult r = run("type: process\npid_file: " + pidFile + "\nconditions: [\"[LIMIT_NPROC] >= 1\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        if (soft.equals("unlimited")) {
            r = run("type: process\npid_file: " + pidFile + "\nconditions: [\"[LIMIT_NPROC] == unlimited\"]");
            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aNameNothingRunsUnderIsNotRunningNotAFailure() {
        CheckResult r = run("type: process\nname: " + name);
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[RUNNING]: expected true, got false");
        assertThat(r.values()).containsEntry("COUNT", 0L).containsEntry("EVIDENCE", "no process named " + name);
        r = run("type: process\nname: " + name + "\nconditions: [\"[RUNNING] == false\", \"[COUNT] == 0\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void withoutProcItSaysSo() throws Exception {
        Path file = TestChecks.write("type: process\nname: postgres");
        Problems problems = new Problems();
        OpsdeckConfig config = ConfigLoader.standard().load(file, problems);
        CheckDef def = config.checks().get(0);
        var fields = def.typeFields(problems);
        Path noProc = Files.createDirectories(dir.resolve("proc"));
        try (var probe = new ProcessCheck(noProc, Path.of("/etc/passwd")).configure(def, fields)) {
            Observation o = probe.observe(new ProbeContext(def.timeout()));
            assertThat(o.failure()).isEqualTo(noProc + " is not available: the process check reads Linux's /proc");
        }
    }

    @Test
    void settingsAreCheckedAtLoad() {
        assertThat(TestChecks.problems("type: process"))
                .singleElement()
                .asString()
                .contains("give exactly one of 'name' and 'pid_file'");
        assertThat(TestChecks.problems("type: process\nname: x\npid_file: /run/x.pid"))
                .singleElement()
                .asString()
                .contains("give exactly one of 'name' and 'pid_file'");
        assertThat(TestChecks.problems("type: process\nname: /usr/bin/postgres"))
                .containsExactly("file:6:15: services.x.checks.y.name: \"/usr/bin/postgres\" is not a program name"
                        + " (hint: the name without directories, e.g. postgres)");
        assertThat(TestChecks.problems("type: process\nname: x\nconditions: [\"[NOFILE] > 1\"]"))
                .singleElement()
                .asString()
                .contains("unknown placeholder [NOFILE]");
    }
}
