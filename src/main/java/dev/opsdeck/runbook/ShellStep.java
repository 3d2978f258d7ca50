package dev.opsdeck.runbook;

import dev.opsdeck.config.RunbookStep;
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

/**
 * Runs a {@code shell} step: {@code /bin/sh -c SCRIPT opsdeck-step ARG...}. The script is the text written in the
 * config; parameters arrive only as environment variables and positional arguments, so whatever they contain
 * ({@code ; rm -rf /}, {@code $(...)}, quotes, newlines) is data to the shell, never code. A step still running
 * at its timeout is killed with every process it started.
 */
final class ShellStep {
    private ShellStep() {}

    static StepResult run(List<String> command, Map<String, String> env, String workdir, List<Integer> expectExit,
                          Map<String, RunbookStep.Extract> extract, Duration timeout, Output output)
            throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workdir != null) {
            if (!Files.isDirectory(Path.of(workdir))) return StepResult.failed("working directory not found: " + workdir);
            pb.directory(new File(workdir));
        }
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
                return new StepResult(false, null, output.text(), Map.of(),
                        "timed out after " + Units.format(timeout) + " (killed with its child processes)");
            }
            pump.join(1000);
            return judge(p.exitValue(), output.text(), expectExit, extract);
        } finally {
            if (p.isAlive()) killTree(p); // cancelled (interrupted) or anything else went wrong
        }
    }

    /** A finished command's result: its exit code against the expected ones, then the values to extract. */
    static StepResult judge(int code, String text, List<Integer> expectExit, Map<String, RunbookStep.Extract> extract) {
        Map<String, String> values = Extraction.apply(extract, text);
        if (!expectExit.contains(code)) {
            return new StepResult(false, code, text, values, "exit code " + code + ", expected "
                    + (expectExit.size() == 1 ? expectExit.get(0) : "one of " + expectExit));
        }
        List<String> missing = new ArrayList<>(extract.keySet());
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            return new StepResult(false, code, text, values, "could not extract " + String.join(", ", missing)
                    + " from the output");
        }
        return new StepResult(true, code, text, values, "exit code " + code);
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

    /** Descendants first: once the parent is gone they are re-parented and cannot be found from it. */
    static void killTree(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
