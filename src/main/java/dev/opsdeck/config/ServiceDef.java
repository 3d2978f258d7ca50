package dev.opsdeck.config;

import java.util.List;

/** A service: what it depends on, the checks that watch it and how it is deployed ({@code deploy}: null when not). */
public record ServiceDef(
        String name,
        String description,
        List<YamlNode> dependsOn,
        List<CheckDef> checks,
        Position position,
        DeployDef deploy) {
    public ServiceDef(
            String name, String description, List<YamlNode> dependsOn, List<CheckDef> checks, Position position) {
        this(name, description, dependsOn, checks, position, null);
    }

    public List<String> dependencyNames() {
        return dependsOn.stream().map(YamlNode::text).toList();
    }
}
