package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.DestinationDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.KeepConfig;
import dev.opsdeck.config.Problems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns every backup target's destination definitions into destinations ready to open, reporting with positions. */
public final class DestinationCompiler {
    private final DestinationTypes types;

    public DestinationCompiler(DestinationTypes types) {
        this.types = types;
    }

    /** The destinations of every target, by target name (check {@code problems} before using them). */
    public Map<String, List<CompiledDestination>> compileAll(KeepConfig keep, Problems problems) {
        Map<String, List<CompiledDestination>> out = new LinkedHashMap<>();
        for (BackupDef target : keep.backups().values()) {
            List<CompiledDestination> compiled = new ArrayList<>();
            for (DestinationDef def : target.destinations()) {
                CompiledDestination d = compile(def, problems);
                if (d != null) compiled.add(d);
            }
            out.put(target.name(), List.copyOf(compiled));
        }
        return Collections.unmodifiableMap(out);
    }

    private CompiledDestination compile(DestinationDef def, Problems problems) {
        Fields settings = def.typeFields(problems);
        CompiledDestination compiled = null;
        if (def.type() == null) {
            // a type written but not as text was told when it was read
            if (!settings.has("type")) {
                problems.add(
                        settings.position(), def.section() + ": missing required key 'type'", types.alternatives());
            }
        } else if (types.get(def.type()) == null) {
            problems.add(
                    settings.positionOf("type"),
                    def.section() + ".type: unknown value \"" + def.type() + "\"",
                    "one of " + String.join(", ", types.names()));
        } else {
            compiled = types.get(def.type()).configure(def, settings);
        }
        settings.finish();
        return compiled;
    }
}
