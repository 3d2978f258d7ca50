package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line builds only the subcommand it was asked for, and the whole tree whenever it may need it. */
class CommandTreeTest {
    private static final Set<String> ALL = Main.commandLine().getSubcommands().keySet();

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(ALL)
                .contains("serve", "demo", "incident", "run", "help", "completion")
                .hasSizeGreaterThan(20);
        for (String name : ALL) {
            if (name.equals("help") || name.equals("completion")) continue;
            assertThat(Main.commandLine(name, "--help").getSubcommands().keySet())
                    .as(name)
                    .containsExactly(name);
        }
    }

    @Test
    void helpCompletionOptionsAndTyposGetTheWholeTree() {
        for (String[] args : new String[][] {
            {}, {"help"}, {"help", "serve"}, {"completion"}, {"--version"}, {"-h"}, {"srve"}, {"Serve"}
        }) {
            assertThat(Main.commandLine(args).getSubcommands().keySet())
                    .as(String.join(" ", args))
                    .isEqualTo(ALL);
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithOrWithoutHelp() {
        for (String[] args : new String[][] {
            {"UNKNOWN"},
            {"UNKNOWN", "--help"},
            {"--help", "UNKNOWN"},
            {"srve", "-h"},
            {"demo", "nope", "--help"},
            {"status", "--bogus", "--help"}
        }) {
            CliTest.Run r = CliTest.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Main.INVALID);
            assertThat(r.err()).as(String.join(" ", args)).containsAnyOf("Unmatched argument", "Unknown option");
            assertThat(r.out()).as("no help on stdout as if all went well").isEmpty();
        }
        assertThat(CliTest.run("srve", "--help").err()).contains("Did you mean: opsdeck serve?");
        for (String[] args :
                new String[][] {{"--help"}, {"status", "--help"}, {"demo", "fault", "--help"}, {"help", "status"}}) {
            CliTest.Run r = CliTest.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: opsdeck");
        }
    }

    @Test
    void aTypoStillGetsTheSuggestionOfTheWholeTree() {
        CliTest.Run r = CliTest.run("srve");
        assertThat(r.code()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("Unmatched argument at index 0: 'srve'").contains("Did you mean: opsdeck serve?");
    }

    @Test
    void theCompletionScriptStillNamesEverySubcommand() {
        CliTest.Run r = CliTest.run("completion");
        assertThat(r.code()).isZero();
        for (String name : ALL) {
            if (!name.equals("warmup")) assertThat(r.out()).as(name).contains(name);
        }
    }
}
