package dev.opsdeck.monitor;

import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import java.nio.file.Path;
import java.util.Map;

/** A loaded configuration with its checks compiled: what the engine runs. */
public record Blueprint(OpsdeckConfig config, Map<String, CompiledCheck> checks) {

    /** Loads, validates and compiles; throws with every problem found. */
    public static Blueprint load(Path path, ConfigLoader loader, CheckTypes types) throws ConfigException {
        Problems problems = new Problems();
        OpsdeckConfig config = loader.load(path, problems);
        Map<String, CompiledCheck> checks = new CheckCompiler(types).compileAll(config, problems);
        if (!problems.isEmpty()) {
            checks.values().forEach(CompiledCheck::close);
            problems.throwIfAny();
        }
        return new Blueprint(config, checks);
    }
}
