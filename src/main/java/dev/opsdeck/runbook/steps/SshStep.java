package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.InventoryHost;
import dev.opsdeck.config.Units;
import dev.opsdeck.runbook.ssh.RemoteCommand;
import dev.opsdeck.runbook.ssh.SshException;
import dev.opsdeck.runbook.ssh.SshHost;
import dev.opsdeck.runbook.ssh.SshOutcome;
import dev.opsdeck.runbook.ssh.SshRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@code ssh} step through {@link SshRunner}: the inventory host's key (a secret, kept in memory only),
 * strict known_hosts checking, arguments and environment as quoted data, output streamed line by line into the
 * step's capped output, and the remote command killed with its process group at the timeout or on cancel.
 * Exit codes and extraction are judged as for a local {@code shell} step.
 */
final class SshStep {
    private SshStep() {}

    static StepResult run(
            SshRunner runner,
            InventoryHost inv,
            ShellStepType.Shell sh,
            Map<String, String> env,
            List<String> args,
            Duration timeout,
            Output output)
            throws InterruptedException {
        SshHost host =
                new SshHost(inv.name(), inv.host(), inv.port(), inv.user(), inv.key(), Path.of(inv.knownHosts()));
        // the script changes directory itself so that a missing workdir fails like a local one: before it runs
        String script = sh.workdir() == null
                ? sh.run()
                : "cd " + RemoteCommand.quote(sh.workdir()) + " || exit 126\n" + sh.run();
        int cap = (int) Math.min(Integer.MAX_VALUE, sh.maxOutput());
        SshOutcome o;
        try {
            o = runner.run(host, script, args, env, timeout, cap, line -> output.append(line.text() + "\n"));
        } catch (SshException e) {
            return StepResult.failed(e.getMessage());
        } catch (IllegalArgumentException e) {
            return StepResult.failed("ssh " + host.label() + ": " + e.getMessage());
        }
        if (o.stdoutTruncated() || o.stderrTruncated()) {
            output.append("[output truncated at " + Units.formatBytes(cap) + " per stream]\n");
        }
        String text = output.text();
        if (o.timedOut()) {
            return new StepResult(
                    false,
                    null,
                    text,
                    Map.of(),
                    "timed out after " + Units.format(timeout) + " on " + host.label()
                            + " (the remote command was killed with its process group)");
        }
        if (o.exitCode() == null) {
            return new StepResult(
                    false, null, text, Map.of(), "ssh " + host.label() + ": the remote command " + o.describe());
        }
        return ShellStep.judge(o.exitCode(), text, sh.expectExit(), sh.extract());
    }
}
