package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.RunbookStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) throws InterruptedException {
        RunbookStep.Shell sh = (RunbookStep.Shell) step.action();
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
    public long maxOutput(RunbookStep step) {
        return ((RunbookStep.Shell) step.action()).maxOutput();
    }

    /** The script as written, then "$0" and the arguments: values never become part of the script. */
    private static List<String> command(RunbookStep.Shell sh, StepContext run) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", sh.run(), "opsdeck-step"));
        cmd.addAll(StepTemplates.render(sh.args(), run.values()));
        return cmd;
    }

    /**
     * A local command's whole environment: {@link #BASE_ENV} from the Opsdeck process, then {@link #stepEnv}.
     * Nothing else of the server's environment, which holds the secrets of checks and channels, reaches a step.
     */
    private static Map<String, String> localEnv(RunbookStep.Shell sh, StepContext run) {
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
    static Map<String, String> stepEnv(RunbookStep.Shell sh, StepContext run) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : sh.passEnv()) {
            String v = run.environment().apply(name);
            if (v != null) env.put(name, v);
        }
        sh.env().forEach((k, v) -> env.put(k, StepTemplates.render(v, run.values())));
        return env;
    }
}
