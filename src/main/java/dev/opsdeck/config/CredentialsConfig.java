package dev.opsdeck.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inventory of secrets and certificates: {@code credentials:} (keyed, one entry per secret) and
 * {@code certificates:} (one section: how often to refresh, the global expiry thresholds, whether the TLS and HTTPS
 * checks count, and the named {@code sources:}).
 */
public record CredentialsConfig(
        Map<String, CredentialDef> credentials,
        Map<String, CertificateDef> certificates,
        Duration refreshEvery,
        List<Integer> thresholds,
        boolean fromChecks,
        String severity) {
    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(30, 14, 7, 1);
    public static final Duration DEFAULT_REFRESH = Duration.ofHours(12);
    public static final CredentialsConfig NONE =
            new CredentialsConfig(Map.of(), Map.of(), DEFAULT_REFRESH, DEFAULT_THRESHOLDS, true, "P3");

    static CredentialsConfig read(
            KeyedSections sections, YamlNode certificates, RunbooksConfig runbooks, Problems problems) {
        Set<String> names = runbooks.runbooks().keySet();
        Map<String, CredentialDef> credentials = new LinkedHashMap<>();
        sections.of("credentials")
                .forEach((key, node) -> credentials.put(key.name(), CredentialDef.read(key, node, names, problems)));
        Fields f = new Fields(certificates, "certificates", problems);
        Duration refresh = f.positiveDuration("refresh_every", DEFAULT_REFRESH);
        if (refresh.compareTo(Duration.ofMinutes(1)) < 0) {
            problems.add(f.positionOf("refresh_every"), "certificates.refresh_every: must be at least 1m");
            refresh = DEFAULT_REFRESH;
        }
        List<Integer> thresholds = CertificateDef.thresholds(f, "certificates", DEFAULT_THRESHOLDS);
        boolean fromChecks = f.bool("from_checks", true);
        String severity = f.oneOf("severity", "P3", Set.of("P1", "P2", "P3", "P4"));
        Map<String, CertificateDef> sources = new LinkedHashMap<>();
        f.child("sources").names().forEach((key, node) -> {
            CertificateDef def = CertificateDef.read(key, node, problems);
            if (def != null) sources.put(key.name(), def);
        });
        f.finish();
        if (credentials.isEmpty() && sources.isEmpty() && certificates == null) return NONE;
        return new CredentialsConfig(
                Collections.unmodifiableMap(credentials),
                Collections.unmodifiableMap(sources),
                refresh,
                thresholds,
                fromChecks,
                severity);
    }
}
