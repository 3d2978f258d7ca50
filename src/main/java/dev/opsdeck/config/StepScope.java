package dev.opsdeck.config;

import java.util.Set;

/**
 * What a step may refer to: other runbooks ({@code runbook} steps, {@code on_failure: { run: }}), services (whose
 * checks {@code check} and {@code wait} steps name), inventory hosts, datasources, the runbook's parameters, the
 * steps before it ({@code earlier}) and every step of its list ({@code siblings}, to say why a later one is refused).
 */
public record StepScope(
        Set<String> runbooks,
        Set<String> services,
        Set<String> hosts,
        Set<String> datasources,
        Set<String> params,
        Set<String> earlier,
        Set<String> siblings) {

    /** The names every runbook's steps share; its own parameters and steps come with {@link #within}. */
    static StepScope of(Set<String> runbooks, Set<String> services, Set<String> hosts, Set<String> datasources) {
        return new StepScope(runbooks, services, hosts, datasources, Set.of(), Set.of(), Set.of());
    }

    /** This scope for one step of a runbook with {@code params}, after the steps {@code earlier}. */
    StepScope within(Set<String> params, Set<String> earlier, Set<String> siblings) {
        return new StepScope(runbooks, services, hosts, datasources, params, earlier, siblings);
    }
}
