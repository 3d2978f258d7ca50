package dev.opsdeck.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole, validated configuration. Immutable: a reload builds a new one. {@code files} are the YAML
 * files read; {@code watched} adds secret files and folders, whose changes trigger a reload. {@code checklists}
 * (last, so that new sections merge simply) are the readiness checklists.
 */
public record OpsdeckConfig(
        ServerConfig server,
        StoreConfig store,
        MonitoringConfig monitoring,
        RuntimeConfig runtime,
        AuthConfig auth,
        NetworkConfig network,
        PagingConfig paging,
        List<ServiceDef> services,
        RunbooksConfig runbooks,
        KeepConfig keep,
        List<Path> files,
        List<Path> watched,
        List<String> literalSecrets,
        CredentialsConfig credentials,
        Map<String, ChecklistDef> checklists,
        DeploysConfig deploys) {
    /** A configuration with the default {@code deploys:} windows. */
    public OpsdeckConfig(
            ServerConfig server,
            StoreConfig store,
            MonitoringConfig monitoring,
            RuntimeConfig runtime,
            AuthConfig auth,
            NetworkConfig network,
            PagingConfig paging,
            List<ServiceDef> services,
            RunbooksConfig runbooks,
            KeepConfig keep,
            List<Path> files,
            List<Path> watched,
            List<String> literalSecrets,
            CredentialsConfig credentials,
            Map<String, ChecklistDef> checklists) {
        this(
                server,
                store,
                monitoring,
                runtime,
                auth,
                network,
                paging,
                services,
                runbooks,
                keep,
                files,
                watched,
                literalSecrets,
                credentials,
                checklists,
                DeploysConfig.DEFAULTS);
    }

    /** The same configuration listing {@code secrets} as written inline (those the compile step's types read too). */
    public OpsdeckConfig withLiteralSecrets(List<String> secrets) {
        return new OpsdeckConfig(
                server,
                store,
                monitoring,
                runtime,
                auth,
                network,
                paging,
                services,
                runbooks,
                keep,
                files,
                watched,
                List.copyOf(secrets),
                credentials,
                checklists,
                deploys);
    }

    public Optional<ServiceDef> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<CheckDef> checks() {
        return services.stream().flatMap(s -> s.checks().stream()).toList();
    }
}
