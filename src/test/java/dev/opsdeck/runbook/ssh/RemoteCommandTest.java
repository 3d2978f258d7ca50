package dev.opsdeck.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemoteCommandTest {
    @Test
    void singleQuotesEverythingAndEscapesQuotesAsCloseEscapeReopen() {
        assertThat(RemoteCommand.quote("plain")).isEqualTo("'plain'");
        assertThat(RemoteCommand.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(RemoteCommand.quote("$(id) `id` ; \n")).isEqualTo("'$(id) `id` ; \n'");
        assertThat(RemoteCommand.quote("")).isEqualTo("''");
    }

    @Test
    void environmentAndArgumentsFollowTheSupervisorAsQuotedWords() {
        String cmd = RemoteCommand.build("echo \"$1\"", List.of("a b"), Map.of("PGHOST", "db 1"));
        assertThat(cmd)
                .startsWith("exec env -i ${PATH+\"PATH=$PATH\"} ${HOME+\"HOME=$HOME\"} ${LANG+\"LANG=$LANG\"}"
                        + " ${TZ+\"TZ=$TZ\"} 'PGHOST=db 1' /bin/sh -c '")
                .endsWith("' opsdeck-supervisor 'echo \"$1\"' 'a b'");
    }

    /** The command as the login shell on the remote host runs it: here a local /bin/sh with a secret in its environment. */
    @Test
    void theScriptSeesOnlyPathHomeLangTzOfTheLoginEnvironmentAndItsOwnVariables() throws Exception {
        String cmd = RemoteCommand.build("env; echo \"arg=$1\"", List.of("a b"), Map.of("PGHOST", "db 1"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment()
                .putAll(Map.of(
                        "PATH",
                        System.getenv("PATH"),
                        "HOME",
                        "/home/ops",
                        "TZ",
                        "UTC",
                        "AWS_SECRET_ACCESS_KEY",
                        "remote-login-secret"));
        Process p = pb.start(); // stdin stays open, as an SSH channel's does while the command runs
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out)
                .doesNotContain("remote-login-secret")
                .contains(
                        "PGHOST=db 1\n",
                        "HOME=/home/ops\n",
                        "TZ=UTC\n",
                        "PATH=" + System.getenv("PATH") + "\n",
                        "arg=a b\n");
        assertThat(out.lines()
                        .filter(l -> l.contains("=") && !l.startsWith("arg="))
                        .map(l -> l.substring(0, l.indexOf('=')))
                        .filter(n -> !Set.of("PWD", "OLDPWD", "SHLVL", "_").contains(n))
                        .sorted()
                        .toList())
                .containsExactly("HOME", "PATH", "PGHOST", "TZ");
        p.getOutputStream().close();
    }

    @Test
    void refusesAnEnvironmentNameThatIsNotAVariableName() {
        assertThatThrownBy(() -> RemoteCommand.build("true", List.of(), Map.of("A;B", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "environment name 'A;B' is not a shell variable name (letters, digits and _, not starting with a digit)");
    }

    @Test
    void refusesNulBytes() {
        assertThatThrownBy(() -> RemoteCommand.build("true", List.of("a\0b"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a value holds a NUL byte, which a command line cannot carry");
    }
}
