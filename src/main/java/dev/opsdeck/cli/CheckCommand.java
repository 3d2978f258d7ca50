package dev.opsdeck.cli;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.Json;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Work with single checks.",
        subcommands = CheckCommand.Run.class)
final class CheckCommand {

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {"Probe one check once and print the result.", "Exit code 0 when up or degraded, 1 when down."
            })
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "SERVICE/CHECK", description = "The check to run, e.g. indexer/health.")
        String id;

        @Option(
                names = {"-c", "--config"},
                required = true,
                paramLabel = "PATH",
                description = "Config file or directory.")
        Path config;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Blueprint bp;
            try {
                bp = Compiler.standard().load(config);
            } catch (ConfigException e) {
                e.problems().forEach(p -> System.err.println(p));
                return Main.INVALID;
            }
            try {
                CompiledCheck check = bp.checks().get(id);
                if (check == null) {
                    System.err.println("opsdeck: no check '" + id + "'; known: "
                            + String.join(", ", bp.checks().keySet()));
                    return Main.INVALID;
                }
                CheckResult r = check.run();
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("check", id);
                    out.put("status", r.status().label());
                    out.put("latency_ms", r.latencyMillis());
                    out.put("message", r.message());
                    out.put("values", r.values());
                    System.out.println(Json.pretty(out));
                } else {
                    System.out.println(id + ": " + r.status().label().toUpperCase() + " in " + r.latencyMillis()
                            + "ms — " + r.message());
                    r.values().forEach((k, v) -> System.out.println("  [" + k + "] " + v));
                }
                return r.status() == Status.DOWN ? Main.FAILED : Main.OK;
            } finally {
                bp.checks().values().forEach(CompiledCheck::close);
            }
        }
    }
}
