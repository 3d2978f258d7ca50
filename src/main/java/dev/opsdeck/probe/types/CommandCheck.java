package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: command} — runs a program (argv list, never through a shell unless the user
 * writes one) and measures its exit code and output. A command still running at the timeout
 * is killed together with everything it started.
 */
public final class CommandCheck implements CheckType {
    static final long DEFAULT_MAX_OUTPUT = 64 * 1024;
    private static final long DRAIN_GRACE_MILLIS = 500;

    @Override
    public String name() {
        return "command";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of("EXIT_CODE", "STDOUT", "STDERR", "OUTPUT_TRUNCATED", "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[EXIT_CODE] == 0");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        YamlNode node = f.node("command");
        List<String> argv = null;
        if (node == null) {
            f.problems()
                    .add(
                            f.position(),
                            f.section() + ": missing required key 'command'",
                            "write command: [\"/usr/bin/pg_isready\", \"-q\"]");
        } else if (!node.isList()) {
            f.problems()
                    .add(
                            node.position(),
                            f.section() + ".command: expected a list of arguments, got " + node.describe(),
                            "write [\"prog\", \"arg\"]; for shell syntax use [\"/bin/sh\", \"-c\", \"...\"]");
        } else {
            argv = f.strings("command");
            if (argv.isEmpty()) {
                f.problems().add(node.position(), f.section() + ".command: must name a program");
                argv = null;
            }
        }
        String dir = f.string("working_dir", null);
        Map<String, String> env = f.stringMap("env");
        long maxOutput = f.size("max_output", DEFAULT_MAX_OUTPUT);
        if (argv == null) {
            return null;
        }
        List<String> command = List.copyOf(argv);
        return context -> run(command, dir, env, maxOutput, new Deadline(context.timeout()));
    }

    private static Observation run(
            List<String> argv, String dir, Map<String, String> env, long maxOutput, Deadline deadline)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (dir != null) {
            if (!Files.isDirectory(Path.of(dir))) {
                return Observation.failed("working directory not found: " + dir);
            }
            pb.directory(new File(dir));
        }
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))); // never wait for input
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Observation.failed("cannot run " + argv.get(0) + ": " + reason(e));
        }
        try {
            OutputDrain out = OutputDrain.start(p.getInputStream(), maxOutput, "command-stdout-" + p.pid());
            OutputDrain err = OutputDrain.start(p.getErrorStream(), maxOutput, "command-stderr-" + p.pid());
            if (!p.waitFor(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
                killTree(p);
                return Observation.failed(deadline.message() + " (killed)");
            }
            out.await(DRAIN_GRACE_MILLIS);
            err.await(DRAIN_GRACE_MILLIS);
            return new Observation()
                    .put("EXIT_CODE", (long) p.exitValue())
                    .put("STDOUT", out.text())
                    .put("STDERR", err.text())
                    .put("OUTPUT_TRUNCATED", out.truncated() || err.truncated())
                    .put("RESPONSE_TIME", deadline.elapsed());
        } finally {
            if (p.isAlive()) {
                killTree(p); // interrupted by the engine, or anything else went wrong
            }
        }
    }

    /**
     * Kills the process and all its descendants. The descendants are listed first: once the
     * parent is gone they are re-parented and can no longer be found from it.
     */
    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(1, TimeUnit.SECONDS); // reap it, so no zombie is left behind
    }

    /**
     * The OS reason from the JDK's wording, which differs by launch mechanism:
     * "error=2, No such file or directory" or "Exec failed, error: 2 (No such file or directory)".
     */
    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        Matcher fork = Pattern.compile("error=\\d+, (.+)").matcher(m);
        if (fork.find()) return fork.group(1).strip();
        Matcher spawn = Pattern.compile("error: \\d+ \\((.+)\\)").matcher(m);
        if (spawn.find()) return spawn.group(1).strip();
        return m;
    }
}
