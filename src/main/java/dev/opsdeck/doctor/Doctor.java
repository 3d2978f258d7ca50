package dev.opsdeck.doctor;

import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.checklist.ChecklistCompiler;
import dev.opsdeck.checklist.ChecklistSources;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.CompiledChecklist;
import dev.opsdeck.checklist.FactType;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.ChecklistDef.Severity;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CheckTypes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Opsdeck's own readiness checklist, {@code doctor} (docs/production.md): a checklist like any configured one, whose
 * items are facts about the configuration and the files it names ({@link DoctorItems}), judged, scored and (in a
 * server) stored by the checklist engine. A server lists and runs it with the others (every hour, and on demand);
 * {@code opsdeck doctor} and the production profile's start prove it offline with {@link Checklists#proveNow} and
 * read the results as {@link Finding}s. Required items pass or fail, and the production profile refuses to start
 * on a failure; advisory items pass or warn and never block.
 */
public final class Doctor {
    /** The checklist's name; a configured checklist may not take it. */
    public static final String CHECKLIST = "doctor";

    static final String REQUIRED = "Required for production", ADVISORY = "Advisory", UNIT = "systemd unit";
    private static final String BOOTSTRAP = "bootstrap-password-changed";
    private static final Position BUILT_IN = new Position("<opsdeck doctor>", 0, 0);

    /** One item: its id, title, severity and what it finds, as a fact named {@code doctor.ID}. */
    private record Item(
            String id, String title, Severity severity, BiFunction<OpsdeckConfig, ChecklistSources, Found> find)
            implements FactType {
        public String name() {
            return CHECKLIST + "." + id;
        }

        public Judge configure(Fields params, OpsdeckConfig config) {
            return (sources, now) -> find.apply(config, sources).proof();
        }
    }

    /** Every item judged from the configuration (and the bootstrap state), in checklist order. */
    private static final List<Item> ITEMS = List.of(
            required(
                    "store-postgresql",
                    "the store must be PostgreSQL",
                    (c, s) -> DoctorItems.storePostgresql(c.store(), c.server().dataDir())),
            required(
                    BOOTSTRAP,
                    "the bootstrap admin password must be changed",
                    (c, s) -> DoctorItems.bootstrapPasswordChanged(
                            s.bootstrap(), c.server().dataDir())),
            required(
                    "tls-or-proxy",
                    "HTTPS must be served (server.tls) or terminated by a trusted proxy",
                    (c, s) -> DoctorItems.tlsOrProxy(c.server().tls(), c.network())),
            required(
                    "allowed-subnets",
                    "network.allowed_subnets must be set",
                    (c, s) -> DoctorItems.allowedSubnets(c.network())),
            required(
                    "secrets-not-literal",
                    "secrets must come from ${env:} or ${file:}",
                    (c, s) -> DoctorItems.secretsNotLiteral(c.literalSecrets())),
            required("lockout-on", "login lockout must be on", (c, s) -> DoctorItems.lockoutOn(c.auth())),
            required(
                    "data-dir-private",
                    "the data directory must not be open to others",
                    (c, s) -> DoctorItems.dataDirPrivate(c.server().dataDir())),
            required(
                    "secret-files-private",
                    "secret files must not be readable by others",
                    (c, s) -> DoctorItems.secretFilesPrivate(DoctorItems.secretFiles(c))),
            required(
                    "store-tls",
                    "the connection to a PostgreSQL store must use TLS",
                    (c, s) -> DoctorItems.storeTls(c.store())),
            advisory(
                    "bind-address",
                    "the listener should not be open to every network",
                    (c, s) -> DoctorItems.bindAddress(c.server().bind(), c.network())),
            advisory(
                    "public-metrics",
                    "metrics should require an API key",
                    (c, s) -> DoctorItems.publicMetrics(c.auth())),
            advisory(
                    "session-timeouts",
                    "dashboard sessions should end within a day",
                    (c, s) -> DoctorItems.sessionTimeouts(c.auth())));

    /** Fixes of the items proven by a standard fact or an inline check, which keep no fix of their own. */
    private static final Map<String, String> FIXES = new LinkedHashMap<>();

    static {
        FIXES.put(ClusterItem.ID, "run a second node on another host against the same PostgreSQL store");
        UnitItems.HARDENING.forEach(h -> FIXES.put(h.id(), h.fix()));
    }

    private static Item required(String id, String title, BiFunction<OpsdeckConfig, ChecklistSources, Found> f) {
        return new Item(id, title, Severity.REQUIRED, f);
    }

    private static Item advisory(String id, String title, BiFunction<OpsdeckConfig, ChecklistSources, Found> f) {
        return new Item(id, title, Severity.RECOMMENDED, f);
    }

    private Doctor() {}

    /**
     * The checklist as a server runs it: every item, and in the production profile whether two nodes are live
     * (which only a running server can tell).
     */
    public static CompiledChecklist forServer(OpsdeckConfig config, CheckTypes types, Problems problems) {
        return compile(config, types, true, null, problems);
    }

    /**
     * The checklist as {@code opsdeck doctor} proves it, offline: the configuration items, and with {@code unit} the
     * hardening of that systemd unit file. Live nodes are left out: only a running server knows them.
     */
    static CompiledChecklist offline(OpsdeckConfig config, CheckTypes types, Path unit, Problems problems) {
        return compile(config, types, false, unit, problems);
    }

    private static CompiledChecklist compile(
            OpsdeckConfig config, CheckTypes types, boolean server, Path unit, Problems problems) {
        List<ChecklistDef.Section> sections = new ArrayList<>();
        List<ChecklistDef.Item> required = new ArrayList<>(), advisory = new ArrayList<>();
        for (Item i : ITEMS) {
            ChecklistDef.Item item = new ChecklistDef.Item(
                    i.id(), i.title(), i.severity(), null, new ChecklistDef.Fact(i.name(), null, BUILT_IN), BUILT_IN);
            (i.severity() == Severity.REQUIRED ? required : advisory).add(item);
        }
        if (server && config.runtime().production()) advisory.add(ClusterItem.item(BUILT_IN));
        sections.add(new ChecklistDef.Section(REQUIRED, List.copyOf(required)));
        sections.add(new ChecklistDef.Section(ADVISORY, List.copyOf(advisory)));
        if (unit != null) sections.add(new ChecklistDef.Section(UNIT, UnitItems.items(unit, config, BUILT_IN)));
        ChecklistDef def = new ChecklistDef(
                CHECKLIST,
                "Opsdeck in production (opsdeck doctor)",
                // a newcomer sees this beside their own checklists, failing on a development setup: say why
                "Opsdeck's own production checklist (docs/production.md): its settings, files and nodes. not_ready is"
                        + " expected on a development configuration such as the demo's",
                null,
                server ? Duration.ofHours(1) : null,
                List.copyOf(sections),
                BUILT_IN);
        return new ChecklistCompiler(types).compileBuiltIn(def, List.copyOf(ITEMS), config, problems);
    }

    /** Every item, required ones first, in checklist order. */
    public static List<Finding> examine(OpsdeckConfig config, BootstrapState bootstrap) {
        return examine(config, bootstrap, null);
    }

    /**
     * Every item, required ones first, in checklist order; with {@code unit}, the hardening of that systemd unit file
     * after them. Proven offline by the checklist engine; the bootstrap state is the caller's to find out (from the
     * store, or from the files in data_dir).
     *
     * @throws IllegalArgumentException when {@code unit} cannot be read as a unit file (its name is not a unit name)
     */
    public static List<Finding> examine(OpsdeckConfig config, BootstrapState bootstrap, Path unit) {
        Problems problems = new Problems();
        try (CompiledChecklist list = offline(config, CheckTypes.standard(), unit, problems)) {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.sorted().stream()
                        .map(p -> p.message() + (p.hint() == null ? "" : " (hint: " + p.hint() + ")"))
                        .collect(Collectors.joining("; ")));
            }
            List<ItemResult> results = Checklists.proveNow(list, new Offline(bootstrap), Clock.systemUTC());
            List<Finding> out = new ArrayList<>();
            List<ChecklistDef.Item> items = list.def().items();
            for (int i = 0; i < items.size(); i++) out.add(finding(items.get(i), results.get(i)));
            return List.copyOf(out);
        }
    }

    /** An item's result as doctor prints it: its state read as PASS, FAIL or WARN, the fix from its evidence. */
    static Finding finding(ChecklistDef.Item item, ItemResult r) {
        Finding.Outcome outcome = switch (r.state()) {
            case PASSED, ATTESTED, WAIVED -> Finding.Outcome.PASS;
            case WARNING -> Finding.Outcome.WARN;
            default -> item.severity() == Severity.REQUIRED ? Finding.Outcome.FAIL : Finding.Outcome.WARN;
        };
        String fix = null;
        if (outcome != Finding.Outcome.PASS) {
            fix = r.evidence().get("fix") instanceof String s ? s : FIXES.get(item.id());
        }
        return new Finding(item.id(), item.title(), outcome, r.message(), fix);
    }

    /**
     * Every item but the bootstrap password, which only the store can tell: what a start checks before it
     * creates anything (data_dir, the store, the admin).
     */
    public static List<Finding> examineConfiguration(OpsdeckConfig config) {
        return examine(config, BootstrapState.UNKNOWN).stream()
                .filter(f -> !f.id().equals(BOOTSTRAP))
                .toList();
    }

    /** The failures, each a reason the production profile refuses to start. */
    public static List<Finding> productionBlockers(OpsdeckConfig config, BootstrapState bootstrap) {
        return failures(examine(config, bootstrap));
    }

    /** The failures of {@link #examineConfiguration}: what the production profile refuses before it touches the store. */
    public static List<Finding> configurationBlockers(OpsdeckConfig config) {
        return failures(examineConfiguration(config));
    }

    /** The bootstrap item alone, when it fails: what the production profile refuses once the store is open. */
    public static List<Finding> bootstrapBlockers(OpsdeckConfig config, BootstrapState bootstrap) {
        return failures(examine(config, bootstrap).stream()
                .filter(f -> f.id().equals(BOOTSTRAP))
                .toList());
    }

    private static List<Finding> failures(List<Finding> findings) {
        return findings.stream()
                .filter(f -> f.outcome() == Finding.Outcome.FAIL)
                .toList();
    }

    /** One {@link Finding#refusal()} line per finding, joined with newlines. */
    public static String describe(List<Finding> findings) {
        return findings.stream().map(Finding::refusal).collect(Collectors.joining("\n"));
    }

    /** The {@code ${file:}} secret files and the TLS private key or keystore: what {@code secret-files-private} checks. */
    static Set<Path> secretFiles(OpsdeckConfig config) {
        return DoctorItems.secretFiles(config);
    }

    /** Offline, nothing runs: no check results, backups or nodes; the bootstrap state as the caller found it. */
    private record Offline(BootstrapState bootstrap) implements ChecklistSources {
        public CheckResult latestCheck(String checkId) {
            return null;
        }

        public BackupFact lastVerifiedBackup(String target) {
            return null;
        }

        public List<Long> drillPasses(String target, int limit) {
            return List.of();
        }

        public Long lastRunbookSuccess(String runbook) {
            return null;
        }

        public List<String> liveNodes() {
            return List.of();
        }

        public Long lastMetricsScrape() {
            return null;
        }
    }

    /** {@code cluster-nodes}: the standard {@code cluster.nodes} fact, two at least (seed 004: two controllers). */
    static final class ClusterItem {
        static final String ID = "cluster-nodes";

        private ClusterItem() {}

        static ChecklistDef.Item item(Position at) {
            LinkedHashMap<YamlNode.Key, YamlNode> params = new LinkedHashMap<>();
            params.put(new YamlNode.Key("min", at), YamlNode.scalar("2", at, false));
            return new ChecklistDef.Item(
                    ID,
                    "production should run at least two nodes",
                    Severity.RECOMMENDED,
                    null,
                    new ChecklistDef.Fact("cluster.nodes", YamlNode.map(params, at), at),
                    at);
        }
    }
}
