package dev.opsdeck.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code runbooks:}, {@code inventory:} and {@code datasources:}; every problem with its position. */
final class RunbookReader {
    static final Pattern RUNBOOK_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern STEP_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final Pattern PARAM_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofHours(1);
    static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(1);

    private final Problems problems;
    private final Set<String> secrets = new LinkedHashSet<>();

    RunbookReader(Problems problems) {
        this.problems = problems;
    }

    RunbooksConfig read(KeyedSections sections, List<ServiceDef> services) {
        Map<String, InventoryHost> inventory = new LinkedHashMap<>();
        sections.of("inventory").forEach((key, node) -> {
            InventoryHost h = host(key, node);
            if (h != null) inventory.put(key.name(), h);
        });
        Map<String, Datasource> datasources = new LinkedHashMap<>();
        sections.of("datasources").forEach((key, node) -> {
            Datasource d = datasource(key, node);
            if (d != null) datasources.put(key.name(), d);
        });
        Map<YamlNode.Key, YamlNode> entries = sections.of("runbooks");
        Set<String> ids = new HashSet<>();
        entries.keySet().forEach(k -> ids.add(k.name()));
        Set<String> serviceNames = new HashSet<>();
        services.forEach(s -> serviceNames.add(s.name()));
        // steps may name every declared host and datasource: one whose own settings are wrong (an unset
        // ${env:} in its url) is reported there, not again at every step that uses it
        Set<String> hostNames = new HashSet<>();
        sections.of("inventory").keySet().forEach(k -> hostNames.add(k.name()));
        Set<String> datasourceNames = new HashSet<>();
        sections.of("datasources").keySet().forEach(k -> datasourceNames.add(k.name()));
        Map<String, RunbookDef> runbooks = new LinkedHashMap<>();
        entries.forEach((key, node) -> {
            RunbookDef def = runbook(key, node, StepScope.of(ids, serviceNames, hostNames, datasourceNames));
            if (def != null) runbooks.put(key.name(), def);
        });
        return new RunbooksConfig(
                Map.copyOf(runbooks), Map.copyOf(inventory), Map.copyOf(datasources), Set.copyOf(secrets));
    }

    private InventoryHost host(YamlNode.Key key, YamlNode node) {
        Fields f = new Fields(node, "inventory." + key.name(), problems);
        String host = f.requiredString("host");
        int port = f.integer("port", 22, 1, 65535);
        String user = f.requiredString("user");
        String keyText = f.secret("key", null);
        noteSecret(f.node("key"));
        String knownHosts = f.requiredString("known_hosts");
        if (f.node("key") == null) {
            problems.add(
                    f.position(),
                    "inventory." + key.name() + ": missing required key 'key'",
                    "give the private key as \"${file:/etc/opsdeck/ssh/id_ed25519}\"");
        }
        f.finish();
        return host == null || user == null || keyText == null || knownHosts == null
                ? null
                : new InventoryHost(key.name(), host, port, user, keyText, knownHosts);
    }

    private Datasource datasource(YamlNode.Key key, YamlNode node) {
        Fields f = new Fields(node, "datasources." + key.name(), problems);
        String url = f.requiredString("url");
        noteSecret(f.node("url"));
        String password = f.secret("password", null);
        noteSecret(f.node("password"));
        f.finish();
        if (url == null) return null;
        try {
            return new Datasource(key.name(), PostgresUrl.parse(url), password);
        } catch (IllegalArgumentException e) {
            problems.add(
                    f.positionOf("url"),
                    "datasources." + key.name() + ".url: " + e.getMessage(),
                    "write postgresql://user@host:5432/db");
            return null;
        }
    }

    private RunbookDef runbook(YamlNode.Key key, YamlNode node, StepScope scope) {
        String id = key.name();
        String section = "runbooks." + id;
        if (!RUNBOOK_ID.matcher(id).matches()) {
            problems.add(
                    key.position(),
                    "runbook id '" + id + "' is not allowed",
                    "use lower-case letters, digits and '-', e.g. rb-001");
        }
        Fields f = new Fields(node, section, problems);
        String title = f.string("title", id);
        String description = f.string("description", "");
        List<String> services = f.strings("services");
        for (YamlNode s : f.scalarList("services")) {
            if (!scope.services().contains(s.text())) {
                problems.add(
                        s.position(),
                        section + ".services: no service '" + s.text() + "'",
                        RunbookText.hint(s.text(), scope.services()));
            }
        }
        List<String> alerts = f.strings("alerts");
        boolean responderSafe = f.bool("responder_safe", false);
        Duration timeout = f.positiveDuration("timeout", DEFAULT_RUN_TIMEOUT);
        Duration target = f.has("target") ? f.positiveDuration("target", null) : null;
        RunbookDef.Concurrency concurrency = concurrency(f.child("concurrency"));
        List<RunbookParam> params = params(f, section);
        Set<String> paramNames = new HashSet<>();
        params.forEach(p -> paramNames.add(p.name()));
        Map<String, String> env = env(f, section, paramNames);
        List<String> passEnv = RunbookText.passEnv(f, section, problems);
        Set<String> stepIds = new LinkedHashSet<>();
        List<RunbookStep> steps = steps(f.node("steps"), section + ".steps", scope, paramNames, stepIds, true);
        if (f.node("steps") == null) {
            problems.add(f.position(), section + ": missing required key 'steps'", "a runbook needs at least one step");
        }
        List<RunbookStep> rollback =
                steps(f.node("rollback"), section + ".rollback", scope, paramNames, stepIds, false);
        f.finish();
        return new RunbookDef(
                id,
                title,
                description,
                services,
                alerts,
                responderSafe,
                timeout,
                target,
                concurrency,
                params,
                env,
                passEnv,
                steps,
                rollback,
                hash(node),
                key.position());
    }

    /** A runbook's {@code env:}: names as for a step's, values may use {@code {{params.NAME}}} (there is no step yet). */
    private Map<String, String> env(Fields f, String section, Set<String> params) {
        Map<String, String> env = new LinkedHashMap<>();
        f.stringMap("env").forEach((k, v) -> {
            if (!RunbookText.ENV_NAME.matcher(k).matches()) {
                problems.add(
                        f.positionOf("env"), section + ".env: '" + k + "' is not a valid environment variable name");
            }
            for (String expr : RunbookText.templates(v)) {
                String[] parts = expr.split("\\.");
                if (parts.length != 2 || !parts[0].equals("params") || !params.contains(parts[1])) {
                    problems.add(
                            f.positionOf("env"),
                            section + ".env." + k + ": {{" + expr + "}} names no parameter of this runbook",
                            "a runbook's env may use {{params.NAME}}; a step's own env may also use earlier steps' values");
                }
            }
            env.put(k, v);
        });
        return env;
    }

    private RunbookDef.Concurrency concurrency(Fields f) {
        String mode = f.oneOf("mode", "one_at_a_time", Set.of("parallel", "one_at_a_time"));
        String busy = f.oneOf("when_busy", "reject", Set.of("queue", "reject"));
        f.finish();
        return new RunbookDef.Concurrency("parallel".equals(mode), "queue".equals(busy));
    }

    private List<RunbookParam> params(Fields runbook, String section) {
        YamlNode node = runbook.node("params");
        if (node == null) return List.of();
        Fields all = new Fields(node, section + ".params", problems);
        List<RunbookParam> out = new ArrayList<>();
        all.names().forEach((key, value) -> {
            String where = section + ".params." + key.name();
            if (!PARAM_NAME.matcher(key.name()).matches()) {
                problems.add(
                        key.position(),
                        "parameter name '" + key.name() + "' is not allowed",
                        "use lower-case letters, digits and '_', starting with a letter (it becomes an environment variable)");
                return;
            }
            Fields f = new Fields(value, where, problems);
            String typeText = f.oneOf("type", "string", Set.of("string", "integer", "boolean", "duration"));
            RunbookParam.Type type = RunbookParam.Type.valueOf(typeText.toUpperCase(Locale.ROOT));
            boolean required = f.bool("required", false);
            String pattern = f.string("pattern", null);
            if (pattern != null) {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    problems.add(
                            f.positionOf("pattern"), where + ".pattern: bad regular expression: " + e.getDescription());
                    pattern = null;
                }
            }
            List<String> allowed = f.strings("allowed");
            boolean secret = f.bool("secret", false);
            String description = f.string("description", "");
            String dflt = f.string("default", null);
            f.finish();
            RunbookParam p = new RunbookParam(key.name(), type, required, dflt, pattern, allowed, secret, description);
            if (dflt != null) {
                String refusal = p.refusal(dflt);
                if (refusal != null) problems.add(f.positionOf("default"), where + ".default: " + refusal);
            }
            out.add(p);
        });
        return List.copyOf(out);
    }

    private List<RunbookStep> steps(
            YamlNode node, String section, StepScope scope, Set<String> params, Set<String> earlier, boolean main) {
        if (node == null) return List.of();
        if (!node.isList()) {
            problems.add(node.position(), section + ": expected a list of steps, got " + node.describe());
            return List.of();
        }
        if (main && node.items().isEmpty()) {
            problems.add(node.position(), section + ": a runbook needs at least one step");
        }
        List<RunbookStep> out = new ArrayList<>();
        List<Integer> written = new ArrayList<>(); // each step's index as written, for messages
        List<YamlNode> items = node.items();
        Set<String> allIds = new HashSet<>(earlier);
        for (YamlNode item : items) {
            if (item.isMap() && item.get("id") != null && item.get("id").isScalar())
                allIds.add(item.get("id").text());
        }
        for (int i = 0; i < items.size(); i++) {
            RunbookStep step = new StepReader(
                            problems, section + "[" + i + "]", scope.within(params, Set.copyOf(earlier), allIds))
                    .read(items.get(i));
            if (step == null) continue;
            if (!earlier.add(step.id())) {
                problems.add(
                        step.position(),
                        section + "[" + i + "]: step id '" + step.id() + "' is used twice",
                        "each step of a runbook, rollback included, needs its own id");
            }
            out.add(step);
            written.add(i);
        }
        // goto goes forward only: a backward jump could repeat steps without end
        for (int i = 0; i < out.size(); i++) {
            RunbookStep s = out.get(i);
            if (s.onFailure().kind() != RunbookStep.OnFailure.Kind.GOTO) continue;
            int target = indexOf(out, s.onFailure().ref());
            String at = section + "[" + written.get(i) + "]";
            if (target < 0) {
                problems.add(
                        s.position(),
                        at + ".on_failure: no step '" + s.onFailure().ref() + "' in this list",
                        "goto names a later step of the same list");
            } else if (target <= i) {
                problems.add(
                        s.position(),
                        at + ".on_failure: goto '" + s.onFailure().ref() + "' jumps backwards",
                        "goto names a later step, so a run always ends");
            }
        }
        return List.copyOf(out);
    }

    private static int indexOf(List<RunbookStep> steps, String id) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).id().equals(id)) return i;
        return -1;
    }

    private void noteSecret(YamlNode n) {
        if (n != null && n.isScalar() && n.fromSecret() && !n.text().isEmpty()) secrets.add(n.text());
    }

    private static String hash(YamlNode node) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(node.canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
