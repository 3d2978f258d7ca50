package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.backup.DestinationCompiler;
import dev.opsdeck.backup.DestinationTypes;
import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.notify.ChannelTypes;
import dev.opsdeck.notify.Channels;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.runbook.CompiledRunbook;
import dev.opsdeck.runbook.RunbookCompiler;
import dev.opsdeck.runbook.steps.StepTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/configuration.md honest: its reference tables are parsed and every row is fed to the real
 * loader. Every documented key must be accepted with its example, every literal default must equal the
 * code's default, every documented range must be the enforced one, and every key the code accepts must
 * be documented.
 */
class ConfigReferenceTest {
    static final Path DOC = Path.of("docs", "configuration.md");
    /** Far (edit distance > 2) from every real key, so the loader answers with the list of known keys. */
    private static final String BOGUS = "zzzzzzzzzzzzzzzz";

    private static final Pattern RANGE = Pattern.compile("whole number, (\\d+)–(\\d+)");
    private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");
    private static final String SCRATCH_SERVER = "drills.<drill>.scratch.server";
    private static final Set<String> ONE_OFF_WINDOW = Set.of("maintenance.<window>.start", "maintenance.<window>.end");
    /** A schedule runs exactly one target: the baseline's runs a backup, the other target rows go on their own. */
    private static final Set<String> SCHEDULE_TARGETS = Set.of(
            "schedules.<schedule>.runbook",
            "schedules.<schedule>.params",
            "schedules.<schedule>.drill",
            "schedules.<schedule>.check");

    /** A certificate source is exactly one of these: the baseline's is a url, the others go on their own. */
    private static final Set<String> OTHER_CERTIFICATE_SOURCES = Set.of(
            "certificates.sources.<certificate>.tcp",
            "certificates.sources.<certificate>.file",
            "certificates.sources.<certificate>.dir",
            "certificates.sources.<certificate>.keystore",
            "certificates.sources.<certificate>.password");

    /** One row of a reference table. */
    record Row(String key, String type, String defaultCell, String example) {
        /** The default as YAML when the cell is exactly one code span; null for "none", "required", prose. */
        String literalDefault() {
            Matcher m = LITERAL.matcher(defaultCell);
            return m.matches() ? m.group(1) : null;
        }

        /**
         * The key with names substituted for {@code <service>} and {@code <check>}; channel keys go to the
         * baseline's channel of their type ({@code <channel>}: keys common to every type, set on the webhook).
         */
        String path() {
            return key.replace("<service>", "api")
                    .replace("<check>", "ping")
                    .replace("<rule>", "lag")
                    .replace("<channel>", "hook")
                    .replace("<webhook>", "hook")
                    .replace("<slack>", "chat")
                    .replace("<email>", "mail")
                    .replace("<integration>", "am")
                    .replace("<backup>", "db")
                    .replace("<destination>", "disk")
                    .replace("<local>", "disk")
                    .replace("<s3>", "cloud")
                    .replace("<contact>", "alice")
                    .replace("<rotation>", "primary")
                    .replace("<policy>", "critical")
                    .replace("<window>", "w")
                    .replace("<runbook>", "rb")
                    .replace("<param>", "p")
                    .replace("<host>", "db")
                    .replace("<datasource>", "app")
                    .replace("<drill>", "monthly-restore")
                    .replace("<table>", "trades")
                    .replace("<assertion>", "enough")
                    .replace("<schedule>", "nightly")
                    .replace("<credential>", "api-key")
                    .replace("<certificate>", "web")
                    .replace("<checklist>", "launch");
        }
    }

    static List<Row> rows;

    @TempDir
    Path dir;

    @BeforeAll
    static void parseDoc() throws IOException {
        rows = parse(Files.readAllLines(DOC));
        assertThat(rows).as("reference rows in %s", DOC).hasSizeGreaterThan(20);
    }

    /** Rows of every table whose header starts with Key | Type | Default | Example. */
    static List<Row> parse(List<String> lines) {
        List<Row> out = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() >= 4
                    && cells.get(0).equals("Key")
                    && cells.get(1).equals("Type")
                    && cells.get(2).equals("Default")
                    && cells.get(3).equals("Example")) {
                inTable = true;
            } else if (inTable && !cells.get(0).startsWith("---")) {
                out.add(new Row(unquote(cells.get(0)), cells.get(1), cells.get(2), unquote(cells.get(3))));
            }
        }
        return out;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    private static String unquote(String cell) {
        Matcher m = LITERAL.matcher(cell);
        assertThat(m.matches()).as("cell %s must be one `code span`", cell).isTrue();
        return m.group(1);
    }

    // ---- building configurations from rows ----

    private Path config(Map<String, String> set) throws IOException {
        return config(dir, set);
    }

    /** A configuration with a tcp check api/ping and a postgres service (for depends_on), plus {@code set}. */
    static Path config(Path dir, Map<String, String> set) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("services.api.checks.ping.type", "tcp");
        all.put("services.api.checks.ping.host", "127.0.0.1");
        all.put("services.api.checks.ping.port", "5432");
        all.put("services.postgres.description", "database");
        // one channel of each type, so each type's rows have a channel to land on
        all.put("channels.hook.type", "webhook");
        all.put("channels.hook.url", "https://hooks.example.com/opsdeck");
        all.put("channels.chat.type", "slack");
        all.put("channels.chat.url", "https://hooks.slack.com/services/T0/B0/X");
        all.put("channels.mail.type", "email");
        all.put("channels.mail.smtp.host", "smtp.example.com");
        all.put("channels.mail.from", "opsdeck@example.com");
        all.put("channels.mail.to", "[oncall@example.com]");
        // an integration, so its optional rows have one to land on
        all.put("integrations.am.type", "alertmanager");
        all.put("integrations.am.token", "${env:ALERTMANAGER_TOKEN}");
        // a backup target with a destination of each type
        all.put("backups.db.url", "postgresql://backup@127.0.0.1:5432/app");
        all.put("backups.db.destinations.disk.type", "local");
        all.put("backups.db.destinations.disk.path", "/var/backups/opsdeck");
        all.put("backups.db.destinations.cloud.type", "s3");
        all.put("backups.db.destinations.cloud.bucket", "backups");
        // on-call entries with only their required keys, so each optional row has one to land on
        all.put("contacts.alice.notify", "[hook]");
        all.put("rotations.primary.members", "[alice]");
        all.put("rotations.primary.start", "2026-01-05");
        all.put("escalation_policies.critical.match.severity", "[P1]");
        all.put("escalation_policies.critical.steps", "[{rotations: [primary]}]");
        all.put("maintenance.w.services", "[postgres]");
        all.put("maintenance.w.days", "[sunday]");
        all.put("maintenance.w.at", "\"02:00\"");
        // a runbook with a parameter, an inventory host and a datasource, so their optional rows have one to land on
        all.put("runbooks.rb.steps", "[{ id: s, type: sleep, duration: 1s }]");
        all.put("runbooks.rb.params.p.required", "false");
        // the runbooks the alert examples name, with the parameters their runbook_params examples fill
        all.put("runbooks.rb-002.steps", "[{ id: s, type: sleep, duration: 1s }]");
        all.put("runbooks.rb-002.params.service.required", "true");
        all.put("runbooks.rb-003.steps", "[{ id: s, type: sleep, duration: 1s }]");
        all.put("runbooks.rb-003.params.target.required", "true");
        // the runbook the services.<service>.deploy example names: a deploy runbook takes the version
        all.put("runbooks.rb-deploy.steps", "[{ id: s, type: sleep, duration: 1s }]");
        all.put("runbooks.rb-deploy.params.version.required", "true");
        all.put("inventory.db.host", "10.0.0.5");
        all.put("inventory.db.user", "ops");
        all.put("inventory.db.key", "${env:SSH_KEY}");
        all.put("inventory.db.known_hosts", "/etc/opsdeck/ssh/known_hosts");
        all.put("datasources.app.url", "postgresql://opsdeck@127.0.0.1:5432/app");
        // a drill of that target with a table and an assertion, so their optional rows have one to land on
        all.put("drills.monthly-restore.target", "db");
        all.put("drills.monthly-restore.tables.trades.min_rows", "1");
        all.put("drills.monthly-restore.assertions.enough.query", "\"SELECT 1\"");
        all.put("drills.monthly-restore.assertions.enough.expect", "\"[VALUE] >= 1\"");
        // a private scratch, unless a row sets the server (the two exclude each other)
        if (!set.containsKey("drills.monthly-restore.scratch.server"))
            all.put("drills.monthly-restore.scratch.private", "true");
        // a schedule with its required keys, so its optional rows have one to land on
        all.put("schedules.nightly.cron", "\"0 2 * * *\"");
        all.put("schedules.nightly.backup", "db");
        // a credential and a certificate source with their required keys
        all.put("credentials.api-key.rotate_every", "90d");
        all.put("credentials.api-key.source", "file:/etc/app/api_key");
        if (set.keySet().stream().noneMatch(k -> k.startsWith("certificates.sources.other.")))
            all.put("certificates.sources.web.url", "https://example.com");
        // a checklist with one section, so its optional rows have one to land on
        all.put("checklists.launch.sections", "[{ title: Basics, items: [{ id: signed, manual: { expires: 90d } }] }]");
        all.putAll(set);
        Files.createDirectories(dir.resolve("services"));
        Files.writeString(dir.resolve("services").resolve("extra.yaml"), "# included by the include example\n");
        return Files.writeString(dir.resolve("opsdeck.yaml"), yaml(all));
    }

    /** Writes dotted keys as nested YAML; values are written as given (YAML flow text). */
    static String yaml(Map<String, String> flat) {
        Map<String, Object> tree = new LinkedHashMap<>();
        flat.forEach((path, value) -> {
            String[] parts = path.split("\\.");
            Map<String, Object> node = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next =
                        (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
                node = next;
            }
            node.put(parts[parts.length - 1], value);
        });
        StringBuilder out = new StringBuilder();
        write(tree, 0, out);
        return out.toString();
    }

    private static void write(Map<String, Object> node, int depth, StringBuilder out) {
        node.forEach((k, v) -> {
            out.append("  ".repeat(depth)).append(k).append(':');
            if (v instanceof Map<?, ?> child) {
                out.append('\n');
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) child;
                write(m, depth + 1, out);
            } else {
                out.append(' ').append(v).append('\n');
            }
        });
    }

    private static List<Problem> problems(Path file) {
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(name -> "example")).load(file, problems);
        new CheckCompiler(CheckTypes.standard())
                .compileAll(config, problems)
                .values()
                .forEach(c -> c.close());
        new DestinationCompiler(DestinationTypes.standard()).compileAll(config.keep(), problems);
        Channels.compile(config.paging().channels(), ChannelTypes.standard(), problems);
        new RunbookCompiler(StepTypes.standard(), CheckTypes.standard()).compileAll(config, problems);
        return problems.sorted();
    }

    private static OpsdeckConfig load(Path file) {
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(name -> "example")).load(file, problems);
        new DestinationCompiler(DestinationTypes.standard()).compileAll(config.keep(), problems);
        assertThat(problems.sorted()).as("problems loading%n%s", read(file)).isEmpty();
        return config;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The effective settings, for comparing a configuration with and without a key set to its default. */
    private static String effective(OpsdeckConfig c) {
        StringBuilder b = new StringBuilder();
        b.append(c.server()).append('\n');
        b.append(c.store().url()).append(' ').append(c.store().poolSize()).append('\n');
        b.append(c.monitoring()).append('\n');
        b.append(c.runtime())
                .append(' ')
                .append(c.auth())
                .append(' ')
                .append(c.network())
                .append('\n');
        b.append(c.paging()).append('\n');
        b.append(c.deploys()).append('\n');
        // each channel's own settings, as its type read them
        b.append(Channels.compile(c.paging().channels(), ChannelTypes.standard(), new Problems())
                        .all())
                .append('\n');
        // each step's own settings, as its type read them
        Map<String, CompiledRunbook> compiled =
                new RunbookCompiler(StepTypes.standard(), CheckTypes.standard()).compileAll(c, new Problems());
        c.runbooks()
                .runbooks()
                .values()
                .forEach(r -> b.append(r.id())
                        .append(' ')
                        .append(r.title())
                        .append(" \"")
                        .append(r.description())
                        .append("\" ")
                        .append(r.services())
                        .append(r.alerts())
                        .append(r.responderSafe())
                        .append(' ')
                        .append(r.timeout())
                        .append(' ')
                        .append(r.target())
                        .append(' ')
                        .append(r.concurrency())
                        .append(r.params())
                        .append(r.steps().stream()
                                .map(st -> st.id() + " "
                                        + compiled.get(r.id()).settings().get(st.id()))
                                .toList())
                        .append(r.rollback().stream()
                                .map(st -> st.id() + " "
                                        + compiled.get(r.id()).settings().get(st.id()))
                                .toList())
                        .append('\n'));
        b.append(c.runbooks().inventory()).append(c.runbooks().datasources()).append('\n');
        b.append(c.keep().drills()).append('\n');
        b.append(c.keep().schedules()).append('\n');
        b.append(c.credentials()).append('\n');
        for (ServiceDef s : c.services()) {
            b.append(s.name())
                    .append(" \"")
                    .append(s.description())
                    .append("\" ")
                    .append(s.dependencyNames())
                    .append('\n');
            for (CheckDef d : s.checks()) {
                b.append("  ")
                        .append(d.id())
                        .append(' ')
                        .append(d.type())
                        .append(' ')
                        .append(d.interval())
                        .append(' ')
                        .append(d.timeout())
                        .append(' ')
                        .append(d.failureThreshold())
                        .append('/')
                        .append(d.successThreshold())
                        .append(' ')
                        .append(d.conditions().stream().map(YamlNode::text).toList())
                        .append(' ')
                        .append(d.degradedWhen().stream().map(YamlNode::text).toList())
                        .append('\n');
            }
        }
        return b.toString();
    }

    // ---- the tests ----

    /** Every documented key set to its example, but for the rows that exclude others (checked on their own). */
    static Map<String, String> everyKeyWithItsExample(List<Row> rows) {
        Map<String, String> set = new LinkedHashMap<>();
        // a keystore is the alternative to cert and key; its rows are checked on their own below
        for (Row r : rows) {
            // a rule watches a check or a service, not both: the service row is checked on its own below
            // a drill's scratch is private or on a server, not both: the server row is checked on its own below
            if (!r.key().startsWith("server.tls.keystore")
                    && !r.key().equals("alerts.rules.<rule>.service")
                    && !ONE_OFF_WINDOW.contains(r.key())
                    && !r.key().equals(SCRATCH_SERVER)
                    && !SCHEDULE_TARGETS.contains(r.key())
                    && !OTHER_CERTIFICATE_SOURCES.contains(r.key())) {
                set.put(r.path(), r.example());
            }
        }
        // enabled: false would skip validating the rest of the check; its example is checked on its own below
        set.put("services.api.checks.ping.enabled", "true");
        return set;
    }

    @Test
    void everyDocumentedKeyIsAcceptedWithItsExample() throws IOException {
        Path file = config(everyKeyWithItsExample(rows));
        assertThat(problems(file))
                .as("loading every documented key with its example:%n%s", read(file))
                .isEmpty();

        Map<String, String> keystore = new LinkedHashMap<>();
        for (Row r : rows) if (r.key().startsWith("server.tls.keystore")) keystore.put(r.path(), r.example());
        Path withKeystore = config(keystore);
        assertThat(problems(withKeystore))
                .as("the keystore rows:%n%s", read(withKeystore))
                .isEmpty();

        Map<String, String> serviceRule = new LinkedHashMap<>(Map.of("alerts.rules.lag.state", "down"));
        for (Row r : rows) if (r.key().equals("alerts.rules.<rule>.service")) serviceRule.put(r.path(), r.example());
        Path withServiceRule = config(serviceRule);
        assertThat(problems(withServiceRule))
                .as("the service rule row:%n%s", read(withServiceRule))
                .isEmpty();

        // a maintenance window is one-off or weekly: the one-off rows go on a window of their own
        Map<String, String> oneOff = new LinkedHashMap<>(Map.of("maintenance.once.services", "[api]"));
        for (Row r : rows)
            if (ONE_OFF_WINDOW.contains(r.key()))
                oneOff.put(r.path().replace("maintenance.w.", "maintenance.once."), r.example());
        Path withOneOff = config(oneOff);
        assertThat(problems(withOneOff))
                .as("the one-off window rows:%n%s", read(withOneOff))
                .isEmpty();

        Map<String, String> scratchServer = new LinkedHashMap<>();
        for (Row r : rows) if (r.key().equals(SCRATCH_SERVER)) scratchServer.put(r.path(), r.example());
        assertThat(scratchServer).hasSize(1);
        Path withScratchServer = config(scratchServer);
        assertThat(problems(withScratchServer))
                .as("the scratch server row:%n%s", read(withScratchServer))
                .isEmpty();
        // the other schedule targets, each on a schedule of its own (params with the runbook)
        for (String target : List.of("runbook", "drill", "check")) {
            Map<String, String> other = new LinkedHashMap<>(Map.of("schedules.other.cron", "\"0 3 * * *\""));
            for (Row r : rows) {
                if (r.key().equals("schedules.<schedule>." + target)
                        || target.equals("runbook") && r.key().equals("schedules.<schedule>.params")) {
                    other.put(r.path().replace("schedules.nightly.", "schedules.other."), r.example());
                }
            }
            assertThat(other).as("rows for the %s target", target).hasSizeGreaterThan(1);
            Path withTarget = config(other);
            assertThat(problems(withTarget))
                    .as("the %s target rows:%n%s", target, read(withTarget))
                    .isEmpty();
        }

        // the other certificate sources, each on a source of its own (the password with the keystore)
        for (String kind : List.of("tcp", "file", "dir", "keystore")) {
            Map<String, String> other = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.key().equals("certificates.sources.<certificate>." + kind)
                        || kind.equals("keystore") && r.key().equals("certificates.sources.<certificate>.password")) {
                    other.put(
                            r.path().replace("certificates.sources.web.", "certificates.sources.other."), r.example());
                }
            }
            assertThat(other).as("rows for the %s source", kind).isNotEmpty();
            Path withSource = config(other);
            assertThat(problems(withSource))
                    .as("the %s source rows:%n%s", kind, read(withSource))
                    .isEmpty();
        }

        Path disabled = config(Map.of("services.api.checks.ping.enabled", "false"));
        assertThat(load(disabled).checks()).isEmpty();
    }

    @Test
    void documentedDefaultsAreTheCodesDefaults() throws IOException {
        String baseline = effective(load(config(Map.of())));
        List<String> wrong = new ArrayList<>();
        for (Row r : rows) {
            String literal = r.literalDefault();
            if (literal == null) continue;
            Path file = config(Map.of(r.path(), literal.isEmpty() ? "\"\"" : literal));
            List<Problem> problems = problems(file);
            if (!problems.isEmpty()) {
                wrong.add(r.key() + ": default " + literal + " is rejected: " + problems);
            } else if (!effective(load(file)).equals(baseline)) {
                wrong.add(r.key() + ": setting the documented default " + literal + " changes the configuration:\n"
                        + effective(load(file)) + "instead of\n" + baseline);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void documentedRangesAreEnforced() throws IOException {
        int ranges = 0;
        for (Row r : rows) {
            Matcher m = RANGE.matcher(r.type());
            if (!m.find()) continue;
            ranges++;
            long min = Long.parseLong(m.group(1));
            long max = Long.parseLong(m.group(2));
            for (long ok : new long[] {min, max}) {
                assertThat(problems(config(Map.of(r.path(), String.valueOf(ok)))))
                        .as("%s: %s", r.key(), ok)
                        .isEmpty();
            }
            for (long bad : new long[] {min - 1, max + 1}) {
                assertThat(problems(config(Map.of(r.path(), String.valueOf(bad)))))
                        .as("%s: %s is outside the documented range", r.key(), bad)
                        .anySatisfy(p -> assertThat(p.message()).contains("out of range"));
            }
        }
        assertThat(ranges).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyKeyTheCodeAcceptsIsDocumented() throws IOException {
        Map<String, Set<String>> accepted = accepted();
        assertThat(accepted.keySet())
                .as("sections whose keys were discovered")
                .containsExactlyInAnyOrder(
                        "",
                        "server",
                        "server.tls",
                        "store",
                        "monitoring",
                        "monitoring.defaults",
                        "monitoring.history",
                        "monitoring.flapping",
                        "runtime",
                        "auth",
                        "auth.lockout",
                        "auth.session",
                        "auth.api_keys",
                        "network",
                        "network.rate_limit",
                        "alerts",
                        "alerts.defaults",
                        "alerts.rules.<rule>",
                        "services.<service>.checks.<check>.alert",
                        "incidents",
                        "incidents.ack_sla",
                        "incidents.resolve_sla",
                        "channels.<webhook>",
                        "channels.<slack>",
                        "channels.<email>",
                        "channels.<email>.smtp",
                        "integrations.<integration>",
                        "services.<service>",
                        "backups.<backup>",
                        "backups.<backup>.destinations.<local>",
                        "backups.<backup>.destinations.<s3>",
                        "contacts.<contact>",
                        "rotations.<rotation>",
                        "escalation_policies.<policy>",
                        "escalation_policies.<policy>.match",
                        "maintenance.<window>",
                        "runbooks.<runbook>",
                        "runbooks.<runbook>.concurrency",
                        "runbooks.<runbook>.params.<param>",
                        "inventory.<host>",
                        "datasources.<datasource>",
                        "drills.<drill>",
                        "drills.<drill>.scratch",
                        "drills.<drill>.tables.<table>",
                        "drills.<drill>.assertions.<assertion>",
                        "schedules.<schedule>",
                        "schedules.<schedule>.alert",
                        "credentials.<credential>",
                        "certificates",
                        "certificates.sources.<certificate>");
        accepted.put("services.<service>.checks.<check>", new TreeSet<>(CheckDef.COMMON_KEYS));

        Map<String, Set<String>> documented = new TreeMap<>();
        for (String section : accepted.keySet()) {
            String prefix = section.isEmpty() ? "" : section + ".";
            // a channel type's keys are its own rows and the rows common to every type
            // and a backup destination's type has its own rows and the rows common to every destination
            String common = section.matches("channels\\.<\\w+>")
                    ? "channels.<channel>."
                    : section.matches("backups\\.<backup>\\.destinations\\.<\\w+>")
                            ? "backups.<backup>.destinations.<destination>."
                            : null;
            documented.put(
                    section,
                    rows.stream()
                            .map(Row::key)
                            .filter(k -> k.startsWith(prefix) || common != null && k.startsWith(common))
                            .map(k -> k.substring(k.startsWith(prefix) ? prefix.length() : common.length())
                                    .split("\\.")[0])
                            .filter(k -> !k.startsWith("<"))
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        assertThat(documented).isEqualTo(new TreeMap<>(accepted));
    }

    /**
     * The keys each section accepts, as the loader lists them when it meets an unknown key
     * ("known keys: a, b" and, at the top level, "sections: a, b").
     */
    private Map<String, Set<String>> accepted() throws IOException {
        Path file = Files.writeString(dir.resolve("bogus.yaml"), """
                %1$s: 1
                server: { %1$s: 1, tls: { %1$s: 1 } }
                store: { %1$s: 1 }
                runtime: { %1$s: 1 }
                auth: { %1$s: 1, lockout: { %1$s: 1 }, session: { %1$s: 1 }, api_keys: { %1$s: 1 } }
                network: { %1$s: 1, rate_limit: { %1$s: 1 } }
                alerts: { %1$s: 1, defaults: { %1$s: 1 }, rules: { lag: { check: api/ping, state: down, %1$s: 1 } } }
                incidents: { %1$s: 1, ack_sla: { %1$s: 1 }, resolve_sla: { %1$s: 1 } }
                channels:
                  hook: { type: webhook, url: "https://x.example", %1$s: 1 }
                  chat: { type: slack, url: "https://x.example", %1$s: 1 }
                  mail: { type: email, from: a@b.example, to: c@d.example, %1$s: 1, smtp: { host: m, %1$s: 1 } }
                integrations: { am: { type: events, token: t, %1$s: 1 } }
                backups:
                  db:
                    url: postgresql://u@h/d
                    %1$s: 1
                    destinations:
                      disk: { type: local, path: /b, %1$s: 1 }
                      cloud: { type: s3, bucket: b, %1$s: 1 }
                contacts: { alice: { notify: [hook], %1$s: 1 } }
                rotations: { primary: { members: [alice], start: 2026-01-05, %1$s: 1 } }
                escalation_policies: { critical: { default: true, steps: [{ channels: [hook] }], %1$s: 1, match: { %1$s: 1 } } }
                maintenance: { w: { services: [api], days: [sunday], at: "02:00", %1$s: 1 } }
                monitoring:
                  %1$s: 1
                  defaults: { %1$s: 1 }
                  history: { %1$s: 1 }
                  flapping: { %1$s: 1 }
                services:
                  api:
                    %1$s: 1
                    checks: { ping: { type: tcp, host: h, port: 1, alert: { %1$s: 1 } } }
                runbooks:
                  rb:
                    %1$s: 1
                    concurrency: { %1$s: 1 }
                    params: { p: { %1$s: 1 } }
                    steps: [{ id: s, type: sleep, duration: 1s }]
                inventory: { db: { host: h, user: u, key: k, known_hosts: f, %1$s: 1 } }
                datasources: { app: { url: "postgresql://a@b/c", %1$s: 1 } }
                drills:
                  monthly-restore:
                    target: db
                    %1$s: 1
                    scratch: { private: true, %1$s: 1 }
                    tables: { trades: { %1$s: 1 } }
                    assertions: { enough: { query: q, expect: "> 1", %1$s: 1 } }
                schedules: { nightly: { cron: "0 2 * * *", backup: db, %1$s: 1, alert: { %1$s: 1 } } }
                credentials: { api-key: { rotate_every: 90d, source: "file:/k", %1$s: 1 } }
                certificates: { %1$s: 1, sources: { web: { url: "https://example.com", %1$s: 1 } } }
                """.formatted(BOGUS));
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(name -> null)).load(file, problems);
        // a backup destination's own keys are read by its type, in the compile step
        new DestinationCompiler(DestinationTypes.standard()).compileAll(config.keep(), problems);
        Channels.compile(config.paging().channels(), ChannelTypes.standard(), problems); // the types' own keys
        Map<String, Set<String>> out = new TreeMap<>();
        for (Problem p : problems.sorted()) {
            String hint = p.hint() == null ? "" : p.hint();
            if (p.message().equals("unknown section '" + BOGUS + "'") && hint.startsWith("sections: ")) {
                out.put("", list(hint.substring("sections: ".length())));
            } else if (p.message().endsWith(": unknown key '" + BOGUS + "'") && hint.startsWith("known keys: ")) {
                String section = p.message().substring(0, p.message().indexOf(": unknown key"));
                section = section.replace("services.api", "services.<service>")
                        .replace(".checks.ping.", ".checks.<check>.")
                        .replace("alerts.rules.lag", "alerts.rules.<rule>")
                        .replace("channels.hook", "channels.<webhook>")
                        .replace("channels.chat", "channels.<slack>")
                        .replace("channels.mail", "channels.<email>")
                        .replace("integrations.am", "integrations.<integration>")
                        .replace("destinations.disk", "destinations.<local>")
                        .replace("destinations.cloud", "destinations.<s3>")
                        .replace("backups.db", "backups.<backup>")
                        .replace("contacts.alice", "contacts.<contact>")
                        .replace("rotations.primary", "rotations.<rotation>")
                        .replace("escalation_policies.critical", "escalation_policies.<policy>")
                        .replace("maintenance.w", "maintenance.<window>")
                        .replace("runbooks.rb.params.p", "runbooks.<runbook>.params.<param>")
                        .replace("runbooks.rb", "runbooks.<runbook>")
                        .replace("inventory.db", "inventory.<host>")
                        .replace("datasources.app", "datasources.<datasource>")
                        .replace("drills.monthly-restore", "drills.<drill>")
                        .replace(".tables.trades", ".tables.<table>")
                        .replace(".assertions.enough", ".assertions.<assertion>")
                        .replace("schedules.nightly", "schedules.<schedule>")
                        .replace("credentials.api-key", "credentials.<credential>")
                        .replace("certificates.sources.web", "certificates.sources.<certificate>");
                out.put(section, list(hint.substring("known keys: ".length())));
            }
        }
        return out;
    }

    private static Set<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
