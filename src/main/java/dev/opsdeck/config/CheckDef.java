package dev.opsdeck.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * One check as written. The keys every check shares are read here; the type-specific keys
 * stay in {@link #spec()} and are read by the check type (see {@link #typeFields(Problems)}).
 */
public record CheckDef(
        String service,
        String name,
        String type,
        Position typePosition,
        Duration interval,
        Duration timeout,
        int failureThreshold,
        int successThreshold,
        List<YamlNode> conditions,
        List<YamlNode> degradedWhen,
        YamlNode spec,
        Position position,
        String id) {

    /** Keys read by {@link ConfigLoader}; a check type must not reuse them. */
    public static final Set<String> COMMON_KEYS = Set.of(
            "type",
            "interval",
            "timeout",
            "failure_threshold",
            "success_threshold",
            "conditions",
            "degraded_when",
            "description",
            "enabled",
            "alert");

    /**
     * The id, {@code service/name}, is always derived here, whatever is passed. It is a component rather than a
     * method so that the engine, the metrics, the alerts and the store share one string per check instead of
     * building their own copy: with 100,000 checks those copies were ~9 strings per check.
     */
    public CheckDef {
        id = service + "/" + name;
    }

    public CheckDef(
            String service,
            String name,
            String type,
            Position typePosition,
            Duration interval,
            Duration timeout,
            int failureThreshold,
            int successThreshold,
            List<YamlNode> conditions,
            List<YamlNode> degradedWhen,
            YamlNode spec,
            Position position) {
        this(
                service,
                name,
                type,
                typePosition,
                interval,
                timeout,
                failureThreshold,
                successThreshold,
                conditions,
                degradedWhen,
                spec,
                position,
                null);
    }

    /** A fresh reader over this check's mapping, with the common keys already accounted for. */
    public Fields typeFields(Problems problems) {
        Fields f = new Fields(spec, "services." + service + ".checks." + name, problems);
        COMMON_KEYS.forEach(f::node);
        return f;
    }

    /**
     * Identity of the definition: an unchanged hash across reloads keeps the running state.
     * Includes the effective common settings, which may come from {@code monitoring.defaults}.
     */
    public String definitionHash() {
        // neither the description nor the alert settings change what runs, so editing them keeps the check's state
        String effective = withoutAlert().canonicalWithout("description") + interval + timeout + failureThreshold + "/"
                + successThreshold;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(effective.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private YamlNode withoutAlert() {
        if (!spec.isMap() || spec.get("alert") == null) return spec;
        LinkedHashMap<YamlNode.Key, YamlNode> rest = new LinkedHashMap<>(spec.entries());
        rest.keySet().removeIf(k -> k.name().equals("alert"));
        return YamlNode.map(rest, spec.position());
    }
}
