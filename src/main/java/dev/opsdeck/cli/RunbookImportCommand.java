package dev.opsdeck.cli;

import dev.opsdeck.runbook.markdown.ImportResult;
import dev.opsdeck.runbook.markdown.MarkdownImport;
import dev.opsdeck.runbook.markdown.Unconverted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code opsdeck runbook import FILE.md}: a markdown runbook to runbook YAML, offline, without a server. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Turn a markdown runbook into runbook YAML: headings become sections, shell code blocks steps",
            "that ask for confirmation, placeholders parameters, checklists approval steps.",
            "Prints what it could not convert to stderr, with line numbers."
        })
public final class RunbookImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.md", description = "The markdown document (or text copied from its rendered page).")
    Path file;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the YAML here (default: standard output).")
    Path out;

    @Override
    public Integer call() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("error: " + file + ": no such file");
            return Main.INVALID;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + file + ": " + e.getMessage());
            return Main.INVALID;
        }
        ImportResult result = MarkdownImport.convert(text);
        try {
            if (out == null) {
                spec.commandLine().getOut().print(result.yaml());
                spec.commandLine().getOut().flush();
            } else Files.writeString(out, result.yaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot write " + out + ": " + e.getMessage());
            return Main.FAILED;
        }
        var err = spec.commandLine().getErr();
        int steps = result.runbooks().stream().mapToInt(r -> r.steps().size()).sum();
        int rollback =
                result.runbooks().stream().mapToInt(r -> r.rollback().size()).sum();
        err.println("Imported " + result.runbooks().size() + " runbook(s) with " + steps + " step(s)"
                + (rollback == 0 ? "" : " and " + rollback + " rollback step(s)")
                + (out == null ? "" : " to " + out)
                + (result.fromRenderedText() ? " (no code fences: read as text copied from a rendered page)" : "")
                + ".");
        if (!result.unconverted().isEmpty()) {
            err.println("Could not convert (" + result.unconverted().size() + "):");
            for (Unconverted u : result.unconverted()) err.println("  " + file.getFileName() + ":" + u);
        }
        err.flush();
        return Main.OK;
    }
}
