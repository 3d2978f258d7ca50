package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.RunbookText;
import dev.opsdeck.config.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code shell}: a /bin/sh script on the Opsdeck host, in its own process group. */
public final class ShellStepType implements StepType {
    /** What a local command gets from the Opsdeck process's environment without asking (pass_env asks for more). */
    public static final List<String> BASE_ENV = List.of("PATH", "HOME", "LANG", "TZ");
    /** PATH for a server started without one. */
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    @Override
    public String name() {
        return "shell";
    }

    /** How many characters of output a step keeps unless its {@code max_output} says otherwise. */
    static final long DEFAULT_MAX_OUTPUT = 64 * 1024;

    /**
     * The script and what it runs with. {@code env} and {@code passEnv} include the runbook's own (the step's
     * {@code env} wins); {@code passEnv} names variables of the Opsdeck process the command may see, which it
     * otherwise never does. {@code host}: the inventory entry of an {@code ssh} step, null for a local one.
     */
    public record Shell(
            String run,
            Map<String, String> env,
            List<String> passEnv,
            List<String> args,
            String workdir,
            List<Integer> expectExit,
            Map<String, Extract> extract,
            String host,
            long maxOutput)
            implements StepSettings {
        @Override
        public List<String> values() {
            return List.copyOf(extract.keySet());
        }
    }

    /** How a value is taken from a step's output: a regex's first group, or a JSON path such as {@code $.a.b[0]}. */
    public record Extract(String regex, String json) {}

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        return read(f, reading, null);
    }

    /** The keys {@code shell} and {@code ssh} share; {@code host} is the ssh step's, already checked. */
    static Shell read(Fields f, StepReading reading, String host) {
        String where = reading.where();
        String run = f.requiredString("run");
        if (run != null && RunbookText.TEMPLATE.matcher(run).find()) {
            reading.problems()
                    .add(
                            f.positionOf("run"),
                            where + ".run: templates are not allowed in a script",
                            "pass values as env: { NAME: \"{{params.x}}\" } and use \"$NAME\", or as args: and use \"$1\"");
        }
        // the runbook's env comes first, so the step's own wins
        Map<String, String> env = new LinkedHashMap<>(reading.runbook().env());
        YamlNode envNode = f.node("env");
        f.stringMap("env").forEach((k, v) -> {
            if (!RunbookText.ENV_NAME.matcher(k).matches()) {
                reading.problems()
                        .add(f.positionOf("env"), where + ".env: '" + k + "' is not a valid environment variable name");
            }
            env.put(k, reading.templated(envNode.get(k), where + ".env." + k, v));
        });
        List<String> passEnv = new ArrayList<>(reading.runbook().passEnv());
        RunbookText.passEnv(f, where, reading.problems()).stream()
                .filter(n -> !passEnv.contains(n))
                .forEach(passEnv::add);
        List<String> args = new ArrayList<>();
        for (YamlNode a : f.scalarList("args")) args.add(reading.templated(a, where + ".args", a.text()));
        String workdir = f.string("workdir", null);
        List<Integer> expect = new ArrayList<>();
        for (YamlNode e : f.scalarList("expect_exit")) {
            try {
                int code = Integer.parseInt(e.text().trim());
                if (code < 0 || code > 255) throw new NumberFormatException();
                expect.add(code);
            } catch (NumberFormatException x) {
                reading.problems()
                        .add(e.position(), where + ".expect_exit: \"" + e.text() + "\" is not an exit code (0-255)");
            }
        }
        if (expect.isEmpty()) expect.add(0);
        Map<String, Extract> extract = extract(f, reading);
        long maxOutput = f.size("max_output", DEFAULT_MAX_OUTPUT);
        f.finish();
        return run == null
                ? null
                : new Shell(
                        run, env, List.copyOf(passEnv), args, workdir, List.copyOf(expect), extract, host, maxOutput);
    }

    private static Map<String, Extract> extract(Fields f, StepReading reading) {
        String where = reading.where();
        YamlNode n = f.node("extract");
        Map<String, Extract> out = new LinkedHashMap<>();
        if (n == null) return out;
        new Fields(n, where + ".extract", reading.problems()).names().forEach((k, v) -> {
            Fields e = new Fields(v, where + ".extract." + k.name(), reading.problems());
            String regex = e.string("regex", null);
            String json = e.string("json", null);
            e.finish();
            if ((regex == null) == (json == null)) {
                reading.problems().add(v.position(), where + ".extract." + k.name() + ": give either regex or json");
                return;
            }
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException x) {
                    reading.problems()
                            .add(v.position(), where + ".extract." + k.name() + ".regex: " + x.getDescription());
                    return;
                }
            }
            if (json != null && !json.startsWith("$")) {
                reading.problems()
                        .add(
                                v.position(),
                                where + ".extract." + k.name() + ".json: a JSON path starts with $, e.g. $.version");
                return;
            }
            out.put(k.name(), new Extract(regex, json));
        });
        return out;
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout)
            throws InterruptedException {
        Shell sh = (Shell) settings;
        return ShellStep.run(
                command(sh, run),
                localEnv(sh, run),
                sh.workdir(),
                sh.expectExit(),
                sh.extract(),
                timeout,
                run.output());
    }

    @Override
    public long maxOutput(StepSettings settings) {
        return ((Shell) settings).maxOutput();
    }

    /** The script as written, then "$0" and the arguments: values never become part of the script. */
    private static List<String> command(Shell sh, StepContext run) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", sh.run(), "opsdeck-step"));
        cmd.addAll(StepTemplates.render(sh.args(), run.values()));
        return cmd;
    }

    /**
     * A local command's whole environment: {@link #BASE_ENV} from the Opsdeck process, then {@link #stepEnv}.
     * Nothing else of the server's environment, which holds the secrets of checks and channels, reaches a step.
     */
    private static Map<String, String> localEnv(Shell sh, StepContext run) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : BASE_ENV) {
            String v = run.environment().apply(name);
            if (v != null) env.put(name, v);
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.putAll(stepEnv(sh, run));
        return env;
    }

    /** The variables {@code pass_env} names (those the Opsdeck process has), then {@code env} with templates filled in. */
    static Map<String, String> stepEnv(Shell sh, StepContext run) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : sh.passEnv()) {
            String v = run.environment().apply(name);
            if (v != null) env.put(name, v);
        }
        sh.env().forEach((k, v) -> env.put(k, StepTemplates.render(v, run.values())));
        return env;
    }
}
