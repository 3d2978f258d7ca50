package dev.opsdeck.cli;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option of the commands that read a configuration offline, without a server. */
final class ConfigFile {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "PATH",
            description = "Config file or directory.")
    Path path;

    /** The configuration and its compiled checks; the caller closes the checks. */
    Blueprint compile() throws ConfigException {
        return Compiler.standard().load(path);
    }
}
