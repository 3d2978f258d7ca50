package dev.opsdeck.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
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
        assertThat(cmd).startsWith("exec env 'PGHOST=db 1' /bin/sh -c '")
                .endsWith("' opsdeck-supervisor 'echo \"$1\"' 'a b'");
    }

    @Test
    void refusesAnEnvironmentNameThatIsNotAVariableName() {
        assertThatThrownBy(() -> RemoteCommand.build("true", List.of(), Map.of("A;B", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment name 'A;B' is not a shell variable name (letters, digits and _, not starting with a digit)");
    }

    @Test
    void refusesNulBytes() {
        assertThatThrownBy(() -> RemoteCommand.build("true", List.of("a\0b"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a value holds a NUL byte, which a command line cannot carry");
    }
}
