package dev.opsdeck.cli;

import dev.opsdeck.alert.PagingWarnings;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.monitor.Blueprint;
import dev.opsdeck.probe.CheckTypes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a config file or directory without starting anything.",
                    "Prints every problem as file:line:col: message; exits 2 when there is one.",
                    "Warns (on stderr, exit 0) about what can never page: a rule on a service without an enabled",
                    "check, alerts with no channel or escalation policy to page them."})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A YAML file or a directory of them.")
        Path path;

        @Override
        public Integer call() {
            try {
                Blueprint bp = Blueprint.load(path, ConfigLoader.standard(), CheckTypes.standard());
                bp.checks().values().forEach(c -> c.close());
                PagingWarnings.of(bp, CheckTypes.standard()).forEach(System.err::println);
                System.out.println("ok: " + bp.config().services().size() + " services, " + bp.checks().size()
                        + " checks in " + bp.config().files().size() + " file(s)");
                return Main.OK;
            } catch (ConfigException e) {
                e.problems().forEach(p -> System.err.println(p));
                System.err.println(e.problems().size() + " problem(s) found");
                return Main.INVALID;
            }
        }
    }
}
