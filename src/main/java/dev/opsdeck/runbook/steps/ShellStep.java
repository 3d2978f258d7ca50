package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Units;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a {@code shell} step: {@code /bin/sh -c SCRIPT opsdeck-step ARG...}. The script is the text written in the
 * config; parameters arrive only as environment variables and positional arguments, so whatever they contain
 * ({@code ; rm -rf /}, {@code $(...)}, quotes, newlines) is data to the shell, never code. The environment is
 * exactly {@code env}: nothing of the server's own comes along unless the engine put it there.
 * <p>
 * The shell starts as the leader of its own process group ({@code setsid}), so a step still running at its
 * timeout, on cancel or when the server stops is killed with every process it started, including background
 * jobs whose parent has already exited (those are no longer the shell's descendants, but still in its group).
 */
final class ShellStep {
    /**
     * {@code setsid} (util-linux) makes the shell a process group leader: Java can only signal one process, and
     * {@code Process.destroy} of the shell would leave its children running under PID 1. Null where it is missing;
     * the step's descendants are then killed one by one, which misses a background job whose parent has exited.
     */
    private static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(f -> Files.isExecutable(Path.of(f)))
            .findFirst()
            .orElse(null);

    private ShellStep() {}

    static StepResult run(
            List<String> command,
            Map<String, String> env,
            String workdir,
            List<Integer> expectExit,
            Map<String, ShellStepType.Extract> extract,
            Duration timeout,
            Output output)
            throws InterruptedException {
        List<String> line = new ArrayList<>();
        if (SETSID != null) line.add(SETSID);
        line.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
        if (workdir != null) {
            if (!Files.isDirectory(Path.of(workdir)))
                return StepResult.failed("working directory not found: " + workdir);
            pb.directory(new File(workdir));
        }
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return StepResult.failed("cannot start " + command.get(0) + ": " + e.getMessage());
        }
        Thread pump = Thread.ofVirtual().start(() -> pump(p.getInputStream(), output));
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                killTree(p);
                pump.join(500);
                return new StepResult(
                        false,
                        null,
                        output.text(),
                        Map.of(),
                        "timed out after " + Units.format(timeout) + " (killed with its child processes)");
            }
            pump.join(1000);
            return judge(p.exitValue(), output.text(), expectExit, extract);
        } finally {
            if (p.isAlive()) killTree(p); // cancelled (interrupted) or anything else went wrong
        }
    }

    /** A finished command's result: its exit code against the expected ones, then the values to extract. */
    static StepResult judge(
            int code, String text, List<Integer> expectExit, Map<String, ShellStepType.Extract> extract) {
        Map<String, String> values = Extraction.apply(extract, text);
        if (!expectExit.contains(code)) {
            return new StepResult(
                    false,
                    code,
                    text,
                    values,
                    "exit code " + code + ", expected "
                            + (expectExit.size() == 1 ? expectExit.get(0) : "one of " + expectExit));
        }
        List<String> missing = new ArrayList<>(extract.keySet());
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            return new StepResult(
                    false, code, text, values, "could not extract " + String.join(", ", missing) + " from the output");
        }
        return new StepResult(true, code, text, values, "exit code " + code);
    }

    /** SIGKILL to process group {@code pgid}; Java has no call for a group, {@code kill} (procps or util-linux) has. */
    private static void killGroup(long pgid) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill program: the descendants are still killed one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(InputStream in, Output output) {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) output.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the pipe closes when the process is killed: what was read stands
        }
    }

    /**
     * The step's whole process group, then any descendant that left it (descendants are listed first: once the
     * parent is gone they are re-parented and cannot be found from it).
     */
    static void killTree(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        if (SETSID != null) killGroup(p.pid());
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
