package dev.opsdeck.runbook;

import dev.opsdeck.config.InventoryHost;
import dev.opsdeck.config.RunbookStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@code ssh} step with OpenSSH's client: host key checked against the inventory's {@code known_hosts}
 * (never accepted blindly), key from a secret written to a private temporary file for the step's duration, no
 * password prompts. The script goes over stdin to {@code sh -s}; arguments are single-quoted for the remote shell
 * and environment values are exported from the same quoted form, so they stay data there too.
 */
final class SshStep {
    private SshStep() {}

    static StepResult run(InventoryHost host, RunbookStep.Shell sh, Map<String, String> env, List<String> args,
                          Duration timeout, Output output) throws InterruptedException {
        Path key;
        try {
            key = Files.createTempFile("opsdeck-ssh-", ".key", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, host.key().endsWith("\n") ? host.key() : host.key() + "\n");
        } catch (IOException e) {
            return StepResult.failed("cannot write the ssh key to a temporary file: " + e.getMessage());
        }
        try {
            long seconds = Math.max(1, Math.min(30, timeout.toSeconds()));
            List<String> cmd = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-p", String.valueOf(host.port()),
                    "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + host.knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "ConnectTimeout=" + seconds, "-o", "LogLevel=ERROR", host.user() + "@" + host.host()));
            StringBuilder remote = new StringBuilder();
            if (sh.workdir() != null) remote.append("cd ").append(quote(sh.workdir())).append(" && ");
            env.forEach((k, v) -> remote.append(k).append('=').append(quote(v)).append(' '));
            remote.append("sh -s --");
            for (String a : args) remote.append(' ').append(quote(a));
            cmd.add(remote.toString());
            StepResult r = ShellStep.run(cmd, Map.of(), null, sh.expectExit(), sh.extract(),
                    timeout, output, sh.run().getBytes(StandardCharsets.UTF_8));
            if (!r.ok() && Integer.valueOf(255).equals(r.exitCode()) && !sh.expectExit().contains(255)) {
                return new StepResult(false, 255, r.output(), r.values(), "ssh to " + host.name() + " (" + host.user() + "@"
                        + host.host() + ":" + host.port() + ") failed: " + lastLine(r.output()));
            }
            return r;
        } finally {
            try {
                Files.deleteIfExists(key);
            } catch (IOException ignored) {
                // a temporary file in a private mode; the OS cleans the folder
            }
        }
    }

    /** Single quotes for a POSIX shell: everything inside is literal; a ' becomes '\''. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String lastLine(String out) {
        if (out == null || out.isBlank()) return "no output";
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
