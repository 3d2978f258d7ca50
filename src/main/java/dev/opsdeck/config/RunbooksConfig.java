package dev.opsdeck.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Executable runbooks ({@code runbooks:}) and what their steps reach: {@code inventory:} hosts, {@code datasources:}.
 * {@code secrets} are the values that came from {@code ${env:}} or {@code ${file:}} anywhere in the configuration
 * (a check's header, a channel's token as much as a datasource's password): a run masks them wherever they appear
 * in its output.
 */
public record RunbooksConfig(
        Map<String, RunbookDef> runbooks,
        Map<String, InventoryHost> inventory,
        Map<String, Datasource> datasources,
        Set<String> secrets) {
    public static final RunbooksConfig NONE = new RunbooksConfig(Map.of(), Map.of(), Map.of(), Set.of());

    static RunbooksConfig read(KeyedSections sections, List<ServiceDef> services, Problems problems) {
        return new RunbookReader(problems).read(sections, services);
    }

    /** The same runbooks, masking {@code more} secrets as well. */
    public RunbooksConfig withSecrets(Set<String> more) {
        Set<String> all = new LinkedHashSet<>(secrets);
        all.addAll(more);
        return new RunbooksConfig(runbooks, inventory, datasources, Set.copyOf(all));
    }

    public Optional<RunbookDef> runbook(String id) {
        return Optional.ofNullable(runbooks.get(id));
    }

    /** Without the secret values, so that printing a configuration never shows one. */
    @Override
    public String toString() {
        return "RunbooksConfig[runbooks=" + runbooks + ", inventory=" + inventory + ", datasources=" + datasources
                + ", secrets=" + secrets.size() + "]";
    }
}
