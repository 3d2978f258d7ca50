package dev.opsdeck.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script.", "Use: source <(./opsdeck completion)"})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash("opsdeck", spec.parent().commandLine()));
        spec.commandLine().getOut().flush(); // main() exits right after
        return Main.OK;
    }
}
