package dev.opsdeck.checklist;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Compiles each checklist's inline checks through the same {@link CheckCompiler} as {@code services:} (so every
 * check type works in an item) and lets each fact read its {@code params}; problems carry the item's position.
 */
public final class ChecklistCompiler {
    private static final Set<String> ITEM_KEYS = Set.of("id", "title", "severity", "link");
    private final CheckCompiler checks;
    private final Facts facts = Facts.standard();

    public ChecklistCompiler(CheckTypes types) {
        this.checks = new CheckCompiler(types);
    }

    public Map<String, CompiledChecklist> compileAll(OpsdeckConfig config, Problems problems) {
        Map<String, CompiledChecklist> out = new LinkedHashMap<>();
        config.checklists().forEach((name, def) -> out.put(name, compile(def, config, problems)));
        return out;
    }

    /**
     * A checklist Opsdeck brings itself (the doctor's), compiled like any other; its items may name {@code own}
     * facts besides the standard ones.
     */
    public CompiledChecklist compileBuiltIn(
            ChecklistDef def, java.util.List<FactType> own, OpsdeckConfig config, Problems problems) {
        Facts all = Facts.standard();
        own.forEach(all::add);
        return compile(def, all, config, problems);
    }

    private CompiledChecklist compile(ChecklistDef def, OpsdeckConfig config, Problems problems) {
        return compile(def, facts, config, problems);
    }

    private CompiledChecklist compile(ChecklistDef def, Facts facts, OpsdeckConfig config, Problems problems) {
        Map<String, CompiledCheck> inline = new LinkedHashMap<>();
        Map<String, FactType.Judge> judges = new LinkedHashMap<>();
        for (ChecklistDef.Item item : def.items()) {
            String section = "checklists." + def.name() + ".items." + item.id();
            switch (item.source()) {
                case ChecklistDef.Inline in -> {
                    CheckDef c = in.check();
                    Fields settings = new Fields(c.spec(), section, problems);
                    CheckDef.COMMON_KEYS.forEach(settings::node);
                    ITEM_KEYS.forEach(settings::node);
                    CompiledCheck compiled = checks.compile(c, settings, problems);
                    if (compiled != null) inline.put(item.id(), compiled);
                }
                case ChecklistDef.Fact f -> {
                    FactType type = facts.get(f.name());
                    if (type == null) {
                        String guess = Fields.closest(f.name(), facts.names());
                        problems.add(
                                f.position(),
                                section + ".fact: unknown fact \"" + f.name() + "\"",
                                guess != null
                                        ? "did you mean '" + guess + "'?"
                                        : "known facts: " + String.join(", ", facts.names()));
                        continue;
                    }
                    // absent params read as an empty mapping at the fact, so "missing target" points at the item
                    Fields params = new Fields(
                            f.params() != null ? f.params() : YamlNode.map(new LinkedHashMap<>(), f.position()),
                            section + ".params",
                            problems);
                    FactType.Judge judge = type.configure(params, config);
                    params.finish();
                    if (judge != null) judges.put(item.id(), judge);
                }
                default -> {}
            }
        }
        return new CompiledChecklist(def, inline, judges);
    }
}
