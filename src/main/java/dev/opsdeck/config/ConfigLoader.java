package dev.opsdeck.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Loads a configuration from one YAML file or a directory of them (merged), following
 * {@code include:} globs. Reports every problem it finds; never stops at the first.
 * Check-type settings and conditions are validated by the probe layer on top of this.
 */
public final class ConfigLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** Sections that are mappings of named entries: each file may add entries, a name defined twice is an error. */
    static final Set<String> KEYED = Set.of(
            "services",
            "contacts",
            "rotations",
            "escalation_policies",
            "maintenance",
            "runbooks",
            "inventory",
            "datasources",
            "schedules",
            "backups",
            "drills",
            "credentials",
            "checklists");
    /** The top-level sections accepted; a keyed section becomes accepted when its reader is added here. */
    private static final Set<String> SECTIONS = Set.of(
            "server",
            "store",
            "monitoring",
            "runtime",
            "auth",
            "network",
            "alerts",
            "incidents",
            "channels",
            "integrations",
            "services",
            "contacts",
            "rotations",
            "escalation_policies",
            "maintenance",
            "include",
            "backups",
            "drills",
            "runbooks",
            "inventory",
            "datasources",
            "schedules",
            "credentials",
            "certificates",
            "checklists",
            "deploys");

    private final YamlReader reader;

    public ConfigLoader(YamlReader reader) {
        this.reader = reader;
    }

    public static ConfigLoader standard() {
        return new ConfigLoader(YamlReader.withSystemEnvironment());
    }

    /** Loads and validates the generic structure; problems go into {@code problems}. */
    public OpsdeckConfig load(Path path, Problems problems) {
        Path root = path.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(root)) {
            files.addAll(yamlFilesIn(root, problems));
            if (files.isEmpty()) {
                problems.add(new Position(root.toString(), 1, 1), "no .yaml or .yml files in this directory");
            }
        } else if (Files.isRegularFile(root)) {
            files.add(root);
        } else {
            problems.add(
                    new Position(root.toString(), 1, 1), "config not found", "pass a YAML file or a directory of them");
        }
        Path baseDir = Files.isDirectory(root) ? root : root.getParent();
        Merged merged = new Merged();
        Set<Path> visited = new LinkedHashSet<>();
        for (Path file : files) {
            readFile(file, merged, visited, problems);
        }
        // reload watches these: the YAML files, the secret files, and the folders where a new file would
        // join the configuration (the config directory, the folders of include: globs); never the folder
        // of a single config file, whose other files are none of its business
        Set<Path> watched = new LinkedHashSet<>(visited);
        watched.addAll(merged.secretFiles);
        watched.addAll(merged.includeDirs);
        if (Files.isDirectory(root)) watched.add(root);
        return merged.build(baseDir, List.copyOf(visited), List.copyOf(watched), problems);
    }

    private void readFile(Path file, Merged merged, Set<Path> visited, Problems problems) {
        if (!visited.add(file)) {
            return;
        }
        YamlNode doc = reader.read(file, problems, merged.secretFiles);
        if (doc == null || doc.isNull()) {
            return;
        }
        if (!doc.isMap()) {
            problems.add(
                    doc.position(),
                    "the top level must be a mapping of sections, got " + doc.describe(),
                    "start with server:, store:, services:");
            return;
        }
        for (var entry : doc.entries().entrySet()) {
            String section = entry.getKey().name();
            YamlNode value = entry.getValue();
            if (!SECTIONS.contains(section)) {
                String guess = Fields.closest(section, SECTIONS);
                problems.add(
                        entry.getKey().position(),
                        "unknown section '" + section + "'",
                        guess != null ? "did you mean '" + guess + "'?" : "sections: " + String.join(", ", SECTIONS));
                continue;
            }
            switch (section) {
                case "include" -> includes(file, value, merged, visited, problems);
                default -> {
                    if (KEYED.contains(section)) merged.addKeyed(section, value, problems);
                    else merged.single(section, value, problems);
                }
            }
        }
    }

    private void includes(Path file, YamlNode value, Merged merged, Set<Path> visited, Problems problems) {
        List<YamlNode> globs = value.isList() ? value.items() : List.of(value);
        for (YamlNode glob : globs) {
            if (!glob.isScalar()) {
                problems.add(glob.position(), "include: expected a file glob, got " + glob.describe());
                continue;
            }
            Path dir = file.getParent();
            // walk from the glob's literal leading folders, so "../shared/*.yaml" and absolute globs work too
            String[] parts = glob.text().split("/", -1);
            int literal = 0;
            while (literal < parts.length - 1 && !parts[literal].matches(".*[*?\\[{].*")) literal++;
            Path base;
            PathMatcher matcher;
            try {
                base = dir.resolve(String.join("/", List.of(parts).subList(0, literal)))
                        .normalize();
                matcher = FileSystems.getDefault()
                        .getPathMatcher(
                                "glob:" + String.join("/", List.of(parts).subList(literal, parts.length)));
            } catch (IllegalArgumentException e) { // a malformed glob or a path the file system refuses
                problems.add(
                        glob.position(),
                        "include: \"" + glob.text() + "\" is not a valid file glob: "
                                + (e instanceof PatternSyntaxException p ? p.getDescription() : e.getMessage()),
                        "e.g. services/*.yaml");
                continue;
            }
            merged.includeDirs.add(base);
            List<Path> matched;
            try (Stream<Path> walk = Files.isDirectory(base) ? Files.walk(base, 8) : Stream.empty()) {
                matched = walk.filter(Files::isRegularFile)
                        .filter(p -> matcher.matches(base.relativize(p)))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                problems.add(glob.position(), "include: cannot list " + dir + ": " + e.getMessage());
                continue;
            }
            if (matched.isEmpty()) {
                problems.add(
                        glob.position(),
                        "include: \"" + glob.text() + "\" matches no file",
                        "globs are relative to " + dir);
            }
            matched.forEach(p -> readFile(p.toAbsolutePath().normalize(), merged, visited, problems));
        }
    }

    private static List<Path> yamlFilesIn(Path dir, Problems problems) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new Position(dir.toString(), 1, 1), "cannot list directory: " + e.getMessage());
            return List.of();
        }
    }

    /** Sections gathered across files before they are validated together. */
    private static final class Merged {
        final Map<String, YamlNode> singles = new LinkedHashMap<>();
        final Set<Path> secretFiles = new LinkedHashSet<>();
        /** The folders include: globs look in: a new file there may match. */
        final Set<Path> includeDirs = new LinkedHashSet<>();

        final Map<String, Map<String, YamlNode.Key>> keys = new LinkedHashMap<>();
        final Map<String, Map<YamlNode.Key, YamlNode>> keyed = new LinkedHashMap<>();

        void single(String section, YamlNode value, Problems problems) {
            YamlNode earlier = singles.putIfAbsent(section, value);
            if (earlier != null) {
                problems.add(
                        value.position(),
                        "section '" + section + "' is defined twice",
                        "first defined at " + earlier.position());
            }
        }

        void addKeyed(String section, YamlNode value, Problems problems) {
            if (value.isNull()) {
                return;
            }
            if (!value.isMap()) {
                problems.add(
                        value.position(),
                        section + ": expected a mapping of " + singular(section) + " names, got " + value.describe());
                return;
            }
            Map<String, YamlNode.Key> seen = keys.computeIfAbsent(section, s -> new LinkedHashMap<>());
            value.entries().forEach((key, entry) -> {
                YamlNode.Key earlier = seen.putIfAbsent(key.name(), key);
                if (earlier != null) {
                    problems.add(
                            key.position(),
                            singular(section) + " '" + key.name() + "' is defined twice",
                            "first defined at " + earlier.position());
                } else {
                    keyed.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, entry);
                }
            });
        }

        /** Every {@code ${env:}}/{@code ${file:}} value in any section: a runbook's output must not show one. */
        Set<String> secrets() {
            Set<String> out = new LinkedHashSet<>();
            singles.values().forEach(n -> n.collectSecrets(out));
            keyed.values().forEach(entries -> entries.values().forEach(n -> n.collectSecrets(out)));
            return out;
        }

        /** The merged entries of a keyed section, in file order (empty when no file has it). */
        Map<YamlNode.Key, YamlNode> keyed(String section) {
            return keyed.getOrDefault(section, Map.of());
        }

        OpsdeckConfig build(Path baseDir, List<Path> files, List<Path> watched, Problems problems) {
            ServerConfig server = ServerConfig.read(new Fields(singles.get("server"), "server", problems), baseDir);
            StoreConfig store = StoreConfig.read(new Fields(singles.get("store"), "store", problems));
            MonitoringConfig monitoring =
                    MonitoringConfig.read(new Fields(singles.get("monitoring"), "monitoring", problems));
            RuntimeConfig runtime = RuntimeConfig.read(new Fields(singles.get("runtime"), "runtime", problems));
            AuthConfig auth = AuthConfig.read(new Fields(singles.get("auth"), "auth", problems));
            NetworkConfig network = NetworkConfig.read(new Fields(singles.get("network"), "network", problems));
            AlertsConfig alerts = AlertsConfig.read(new Fields(singles.get("alerts"), "alerts", problems));
            IncidentsConfig incidents = IncidentsConfig.read(
                    new Fields(singles.get("incidents"), "incidents", problems), singles.get("channels"));
            ChannelsConfig channels = ChannelsConfig.read(new Fields(singles.get("channels"), "channels", problems));
            IntegrationsConfig integrations = IntegrationsConfig.read(singles.get("integrations"), problems);
            List<ServiceDef> list = new ArrayList<>();
            keyed("services").forEach((key, node) -> list.add(service(key, node, monitoring, problems)));
            DependencyGraph.validate(list, problems);
            alerts.validate(list, problems); // rule targets and each check's alert: key need the services
            OnCallConfig oncall =
                    OnCallConfig.read(this::keyed, list, channels.channels().keySet(), problems);
            RunbooksConfig runbooks =
                    RunbooksConfig.read(this::keyed, list, problems).withSecrets(secrets());
            alerts.validateAutoRuns(list, runbooks, problems); // auto_run needs the runbooks
            DeployReader.validate(list, runbooks, channels.channels().keySet(), problems);
            KeepConfig keep = KeepConfig.read(this::keyed, list, runbooks, problems);
            CredentialsConfig credentials =
                    CredentialsConfig.read(this::keyed, singles.get("certificates"), runbooks, problems);
            Map<String, ChecklistDef> checklists = new ChecklistReader(list, monitoring, problems).read(this::keyed);
            DeploysConfig deploys = DeploysConfig.read(new Fields(singles.get("deploys"), "deploys", problems));
            return new OpsdeckConfig(
                    server,
                    store,
                    monitoring,
                    runtime,
                    auth,
                    network,
                    new PagingConfig(alerts, incidents, channels, integrations, oncall),
                    List.copyOf(list),
                    runbooks,
                    keep,
                    files,
                    watched,
                    problems.literalSecrets(),
                    credentials,
                    Collections.unmodifiableMap(checklists),
                    deploys);
        }
    }

    private static ServiceDef service(YamlNode.Key key, YamlNode node, MonitoringConfig monitoring, Problems problems) {
        checkName(key, "service", problems);
        Fields f = new Fields(node, "services." + key.name(), problems);
        String description = f.string("description", "");
        List<YamlNode> dependsOn = f.scalarList("depends_on");
        List<CheckDef> checks = new ArrayList<>();
        YamlNode checksNode = f.node("checks");
        if (checksNode != null && !checksNode.isMap()) {
            problems.add(
                    checksNode.position(),
                    "services." + key.name() + ".checks: expected a mapping of check names, got "
                            + checksNode.describe());
        } else if (checksNode != null) {
            checksNode.entries().forEach((ck, cv) -> {
                CheckDef c = check(key.name(), ck, cv, monitoring, problems);
                if (c != null) {
                    checks.add(c);
                }
            });
        }
        YamlNode deployNode = f.node("deploy");
        DeployDef deploy = deployNode == null ? null : DeployReader.read(key.name(), deployNode, checks, problems);
        f.finish();
        return new ServiceDef(key.name(), description, dependsOn, List.copyOf(checks), key.position(), deploy);
    }

    private static CheckDef check(
            String service, YamlNode.Key key, YamlNode node, MonitoringConfig monitoring, Problems problems) {
        checkName(key, "check", problems);
        String section = "services." + service + ".checks." + key.name();
        if (!node.isMap()) {
            problems.add(node.position(), section + ": expected a mapping with a type, got " + node.describe());
            return null;
        }
        Fields f = new Fields(node, section, problems);
        String type = f.requiredString("type");
        Duration interval = f.duration("interval", monitoring.defaultInterval());
        Duration timeout = f.duration("timeout", monitoring.defaultTimeout());
        if (interval.toMillis() < 100) {
            problems.add(f.positionOf("interval"), section + ".interval: must be at least 100ms");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            problems.add(f.positionOf("timeout"), section + ".timeout: must be positive");
        }
        int failures = f.integer("failure_threshold", 1, 1, 100);
        int successes = f.integer("success_threshold", 1, 1, 100);
        List<YamlNode> conditions = f.scalarList("conditions");
        List<YamlNode> degraded = f.scalarList("degraded_when");
        f.string("description", "");
        // a disabled check is not run; its common keys were still validated above
        if (!f.bool("enabled", true)) {
            return null;
        }
        // type-specific keys are checked by the check type, which calls finish()
        return type == null
                ? null
                : new CheckDef(
                        service,
                        key.name(),
                        type,
                        f.positionOf("type"),
                        interval,
                        timeout,
                        failures,
                        successes,
                        conditions,
                        degraded,
                        node,
                        key.position());
    }

    /** "services" -> "service", "escalation_policies" -> "escalation policy": for messages. */
    private static String singular(String section) {
        String s = section.replace('_', ' ');
        if (s.endsWith("ies")) return s.substring(0, s.length() - 3) + "y";
        return s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
    }

    private static void checkName(YamlNode.Key key, String what, Problems problems) {
        if (!NAME.matcher(key.name()).matches()) {
            problems.add(
                    key.position(),
                    what + " name '" + key.name() + "' is not allowed",
                    "use letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }
}
