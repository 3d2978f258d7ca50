package dev.opsdeck.cli;

import dev.opsdeck.alert.PagingWarnings;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.PagingConfig;
import dev.opsdeck.probe.CheckTypes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with configuration files.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Validate a config file or directory without starting anything.",
                "Prints every problem as file:line:col: message; exits 2 when there is one.",
                "A valid configuration prints how many services, checks and other entries it has.",
                "Warns (on stderr, exit 0) about what can never page: a rule on a service without an enabled",
                "check, alerts with no channel or escalation policy to page them."
            })
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A YAML file or a directory of them.")
        Path path;

        @Override
        public Integer call() {
            try {
                Blueprint bp = Compiler.standard().load(path);
                bp.checks().values().forEach(c -> c.close());
                PagingWarnings.of(bp.config(), bp.checks(), CheckTypes.standard())
                        .forEach(System.err::println);
                System.out.println(
                        "ok: " + summary(bp) + " in " + bp.config().files().size() + " file(s)");
                return Main.OK;
            } catch (ConfigException e) {
                return ConfigProblems.list(e);
            }
        }

        /** Services and checks always, then every other kind of entry the configuration has. */
        static String summary(Blueprint bp) {
            OpsdeckConfig c = bp.config();
            PagingConfig paging = c.paging();
            Map<String, Integer> kinds = new LinkedHashMap<>();
            kinds.put("alert rules", paging.alerts().rules().size());
            kinds.put("channels", paging.channels().channels().size());
            kinds.put("integrations", paging.integrations().byName().size());
            kinds.put("contacts", paging.oncall().contacts().size());
            kinds.put("rotations", paging.oncall().rotations().size());
            kinds.put("escalation policies", paging.oncall().policies().size());
            kinds.put("maintenance windows", paging.oncall().maintenance().size());
            kinds.put("runbooks", c.runbooks().runbooks().size());
            kinds.put("inventory hosts", c.runbooks().inventory().size());
            kinds.put("datasources", c.runbooks().datasources().size());
            kinds.put("backup targets", c.keep().backups().size());
            kinds.put("drills", c.keep().drills().size());
            kinds.put("schedules", c.keep().schedules().size());
            StringBuilder out = new StringBuilder(
                    c.services().size() + " services, " + bp.checks().size() + " checks");
            kinds.forEach((kind, n) -> {
                if (n > 0) out.append(", ").append(n).append(' ').append(kind);
            });
            return out.toString();
        }
    }
}
