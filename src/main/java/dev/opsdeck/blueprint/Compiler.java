package dev.opsdeck.blueprint;

import dev.opsdeck.backup.CompiledDestination;
import dev.opsdeck.backup.DestinationCompiler;
import dev.opsdeck.backup.DestinationTypes;
import dev.opsdeck.checklist.ChecklistCompiler;
import dev.opsdeck.checklist.CompiledChecklist;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.deploy.DeployProbes;
import dev.opsdeck.doctor.Doctor;
import dev.opsdeck.notify.ChannelTypes;
import dev.opsdeck.notify.Channels;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.CompiledRunbook;
import dev.opsdeck.runbook.RunbookCompiler;
import dev.opsdeck.runbook.steps.StepTypes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compile step: loads the configuration and lets each type family read its own settings and build its
 * runnable part, collecting every problem of every family before anything runs. Start, reload ({@link
 * ConfigWatcher}) and {@code opsdeck config check} all go through {@link #load}, so they agree on what is valid.
 */
public final class Compiler {
    private final ConfigLoader loader;
    private final CheckTypes checkTypes;
    private final ChannelTypes channelTypes;
    private final DestinationTypes destinationTypes;
    private final StepTypes stepTypes;

    public Compiler(
            ConfigLoader loader,
            CheckTypes checkTypes,
            ChannelTypes channelTypes,
            DestinationTypes destinationTypes,
            StepTypes stepTypes) {
        this.loader = loader;
        this.checkTypes = checkTypes;
        this.channelTypes = channelTypes;
        this.destinationTypes = destinationTypes;
        this.stepTypes = stepTypes;
    }

    /** {@code loader} with every built-in type of every family. */
    public Compiler(ConfigLoader loader) {
        this(loader, CheckTypes.standard(), ChannelTypes.standard(), DestinationTypes.standard(), StepTypes.standard());
    }

    /** The standard loader with every built-in type of every family. */
    public static Compiler standard() {
        return new Compiler(ConfigLoader.standard());
    }

    public CheckTypes checkTypes() {
        return checkTypes;
    }

    /** Loads, validates and compiles; throws with every problem found, having released what it built. */
    public Blueprint load(Path path) throws ConfigException {
        Problems problems = new Problems();
        OpsdeckConfig config = loader.load(path, problems);
        Map<String, CompiledCheck> checks = new CheckCompiler(checkTypes).compileAll(config, problems);
        Channels channels = Channels.compile(config.paging().channels(), channelTypes, problems);
        Map<String, List<CompiledDestination>> destinations =
                new DestinationCompiler(destinationTypes).compileAll(config.keep(), problems);
        Map<String, CompiledRunbook> runbooks = new RunbookCompiler(stepTypes, checkTypes).compileAll(config, problems);
        Map<String, CompiledChecklist> checklists = new ChecklistCompiler(checkTypes).compileAll(config, problems);
        DeployProbes.validate(config, checkTypes, problems); // the gate's and bake's added conditions
        // the types read their own keys after loading: the secrets they found written inline join the loader's
        config = config.withLiteralSecrets(problems.literalSecrets());
        // Opsdeck's own checklist, built in and always listed; judged on the configuration as the types completed it
        ChecklistDef taken = config.checklists().get(Doctor.CHECKLIST);
        if (taken != null) {
            problems.add(
                    taken.position(),
                    "checklists." + Doctor.CHECKLIST
                            + ": the name is taken by Opsdeck's own checklist (opsdeck doctor)",
                    "choose another name");
        } else {
            checklists = new LinkedHashMap<>(checklists);
            checklists.put(Doctor.CHECKLIST, Doctor.forServer(config, checkTypes, problems));
        }
        Blueprint blueprint = new Blueprint(config, checks, channels, destinations, runbooks, checklists);
        if (!problems.isEmpty()) {
            blueprint.close();
            problems.throwIfAny();
        }
        return blueprint;
    }
}
