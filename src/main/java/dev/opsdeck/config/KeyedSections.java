package dev.opsdeck.config;

import java.util.Map;

/** The merged entries of each keyed section (see {@link ConfigLoader#KEYED}), by section name. */
@FunctionalInterface
public interface KeyedSections {
    /** The entries of {@code section} in file order; empty when no file has it. */
    Map<YamlNode.Key, YamlNode> of(String section);
}
