package dev.opsdeck.config;

import java.util.List;

/** A service: what it depends on and the checks that watch it. */
public record ServiceDef(
        String name, String description, List<YamlNode> dependsOn, List<CheckDef> checks, Position position) {
    public List<String> dependencyNames() {
        return dependsOn.stream().map(YamlNode::text).toList();
    }
}
