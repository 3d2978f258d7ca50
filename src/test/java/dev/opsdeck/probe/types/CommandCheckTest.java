package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandCheckTest {
    @TempDir
    Path dir;

    @Test
    void capturesExitCodeAndOutput() throws Exception {
        Observation o = observe("type: command\ncommand: [echo, hello]");
        assertThat(o.get("EXIT_CODE")).isEqualTo(0L);
        assertThat(o.get("STDOUT")).isEqualTo("hello");
        assertThat(o.get("STDERR")).isEqualTo("");
        assertThat(run("type: command\ncommand: [echo, hello]\nconditions: [\"[STDOUT] == hello\"]")
                        .status())
                .isEqualTo(Status.UP);
    }

    @Test
    void nonZeroExitFailsTheDefaultCondition() throws Exception {
        CheckResult r = run("type: command\ncommand: [/bin/sh, -c, 'echo oops >&2; exit 3']");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[EXIT_CODE]: expected 0, got 3");
        assertThat(observe("type: command\ncommand: [/bin/sh, -c, 'echo oops >&2; exit 3']")
                        .get("STDERR"))
                .isEqualTo("oops");
    }

    @Test
    void argumentsAreNotInterpretedByAShell() throws Exception {
        assertThat(observe("type: command\ncommand: [echo, '$HOME; rm -rf /']").get("STDOUT"))
                .isEqualTo("$HOME; rm -rf /");
    }

    @Test
    void workingDirAndEnvironment() throws Exception {
        Observation o = observe("""
                type: command
                command: [/bin/sh, -c, 'echo "$GREETING from $(pwd)"']
                working_dir: %s
                env: {GREETING: hi}
                """.formatted(dir));
        assertThat(o.get("STDOUT")).isEqualTo("hi from " + dir.toRealPath());
    }

    @Test
    void jsonOutputCanBeAsserted() {
        CheckResult r = run("""
                type: command
                command: [echo, '{"replicas": 3, "state": "ok"}']
                conditions: ["[STDOUT].replicas >= 3", "[STDOUT].state == ok"]
                """);
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void hungCommandIsKilledWithItsChildren() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        long start = System.nanoTime();
        CheckResult r = run("""
                type: command
                timeout: 1s
                command: [/bin/sh, -c, 'sleep 60 & echo $! > %s; wait']
                """.formatted(pidFile));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("timed out after 1s (killed)");
        assertThat(ms).isBetween(900L, 2500L);
        long child = Long.parseLong(Files.readString(pidFile).strip());
        long until = System.nanoTime() + 2_000_000_000L;
        while (!dead(child) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(dead(child)).as("child " + child + " killed").isTrue();
    }

    /**
     * Gone, or a zombie: killed but not yet reaped by init, which is up to the machine's init
     * (in containers it can take a second) and which Java still reports as alive.
     */
    private static boolean dead(long pid) throws Exception {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                String s = Files.readString(stat);
                return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
            } catch (IOException e) {
                return true;
            }
        }
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    @Test
    void floodingCommandIsCutAtMaxOutputAndFinishes() throws Exception {
        long start = System.nanoTime();
        Observation o = observe("""
                type: command
                max_output: 64KiB
                command: [/bin/sh, -c, 'yes flood | head -c 50000000; echo done >&2']
                """);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(o.get("EXIT_CODE")).isEqualTo(0L);
        assertThat(((String) o.get("STDOUT")).length()).isBetween(65_530, 65_536);
        assertThat(o.get("OUTPUT_TRUNCATED")).isEqualTo(true);
        assertThat(o.get("STDERR")).isEqualTo("done");
    }

    @Test
    void programThatDoesNotExist() {
        assertThat(run("type: command\ncommand: [/no/such/program]").message())
                .isEqualTo("cannot run /no/such/program: No such file or directory");
        assertThat(run("type: command\ncommand: [ls]\nworking_dir: /no/such/dir")
                        .message())
                .isEqualTo("working directory not found: /no/such/dir");
    }

    @Test
    void commandMustBeAList() {
        assertThat(TestChecks.problems("type: command\ncommand: ls -l"))
                .containsExactly("file:6:18: services.x.checks.y.command: expected a list of arguments, got \"ls -l\""
                        + " (hint: write [\"prog\", \"arg\"]; for shell syntax use [\"/bin/sh\", \"-c\", \"...\"])");
        assertThat(TestChecks.problems("type: command"))
                .singleElement()
                .asString()
                .contains("missing required key 'command'");
        assertThat(TestChecks.problems("type: command\ncommand: []"))
                .singleElement()
                .asString()
                .contains("command: must name a program");
    }
}
