package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.ManualClock;
import dev.opsdeck.auth.Role;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.checklist.ChecklistRefused;
import dev.opsdeck.checklist.ChecklistSources;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.checklist.ItemState;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.DestinationDef;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/stellarescrow/checklists.yaml}: a copy of the example loaded through the configuration loader and
 * run by the checklist engine. The stack's hosts are not here, so what the server would know about them is answered
 * as the server answers it: each check's latest result is the example's own compiled check judging a measurement
 * (so a broken measurement fails by the example's conditions), backups, drills and runbook runs are the records a
 * server would hold, the paging fact reads the example's oncall.yaml. A healthy stack passes every automated item;
 * breaking each thing the ops guide watches fails exactly its item, and repairing it passes the item again.
 */
class StellarEscrowChecklistTest {
    private static final Path EXAMPLE = ExamplesTest.EXAMPLES.resolve("stellarescrow");
    private static final String LIST = "stellarescrow";
    private static final List<String> MANUAL = List.of(
            "secrets.admin-keys",
            "secrets.grafana-admin",
            "secrets.postgres-password",
            "secrets.redis-password",
            "secrets.s3-credentials",
            "guide.reviewed");
    private static final long HOUR = 3_600_000L, DAY = 24 * HOUR;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T09:00:00Z"));
    private final Stack stack = new Stack();
    private volatile Blueprint blueprint;
    private Store store;
    private Checklists checklists;

    @BeforeEach
    void copyAndLoad() throws Exception {
        try (Stream<Path> walk = Files.walk(EXAMPLE)) {
            for (Path p : walk.toList()) {
                Path to = dir.resolve(EXAMPLE.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        blueprint = load();
        store = Store.open(new StoreConfig("embedded", 2, Position.NONE), dir.resolve("data"));
        checklists = new Checklists(
                store,
                () -> blueprint.checklists(),
                () -> Checklists.masker(blueprint.config()),
                stack,
                null,
                new SimpleMeterRegistry(),
                clock);
        stack.healthy();
    }

    @AfterEach
    void close() throws Exception {
        checklists.close();
        store.close();
        blueprint.close();
    }

    private Blueprint load() throws ConfigException {
        return new Compiler(new ConfigLoader(new YamlReader(ExamplesTest::fakeValueFor))).load(dir);
    }

    private Map<String, ItemResult> run() {
        return checklists.run(LIST, "manual", "test").results().stream()
                .collect(Collectors.toMap(ItemResult::itemId, r -> r));
    }

    @Test
    void aHealthyStackPassesEveryAutomatedItemAndLeavesTheAttestationsToPeople() {
        Map<String, ItemResult> results = run();
        assertThat(results).hasSize(20);
        results.forEach((id, r) -> assertThat(r.state())
                .as(id + ": " + r.message())
                .isEqualTo(MANUAL.contains(id) ? ItemState.UNATTESTED : ItemState.PASSED));
        assertThat(results.get("shift.backup").message()).isEqualTo("backup 41 of stellar_escrow verified 7h ago");
        assertThat(results.get("shift.backup").evidence()).containsEntry("off_host", List.of("s3"));
        assertThat(results.get("paging.p1").message()).isEqualTo("P1 incidents go to escalation policy p1, p3-p4");
        assertThat(results.get("jobs.certificate").evidence()).containsEntry("check", "nginx/certificate");
        assertThat(checklists.show(LIST).last().ready()).isFalse();
    }

    @Test
    void eachThingTheGuideWatchesFailsItsItemAndRepairingItPassesAgain() throws IOException {
        breakAndRepair("shift.site", "nginx/site", Stack.http(502, "bad gateway"), "[STATUS]: expected 200, got 502");
        breakAndRepair(
                "shift.api",
                "api/health",
                Stack.http(200, "{\"status\":\"degraded\"}"),
                "[BODY].status: expected any(ok, healthy), got \"degraded\"");
        // IndexerLag pages above 300 s; the shift check already wants it within a minute
        breakAndRepair(
                "shift.indexer",
                "indexer/health",
                Stack.http(200, "{\"status\":\"ok\",\"lag_seconds\":400}"),
                "[BODY].lag_seconds: expected <= 300, got 400");
        breakAndRepair(
                "shift.postgres",
                "postgres/ready",
                Stack.postgres(10, 1),
                "[CONNECTIONS_PERCENT]: expected <= 90%, got 100%");
        breakAndRepair("shift.disk", "host/disk", Stack.disk(86.0), "[USED_PERCENT]: expected <= 85%, got 86%");
        breakAndRepair(
                "jobs.certificate", "nginx/certificate", Stack.certificate(20), "degraded: [DAYS_TO_EXPIRY]: 20 < 30");

        // recommended items warn instead of failing
        stack.observe("redis/ping", Stack.redis(false));
        assertThat(warns("shift.redis").message()).isEqualTo("[PING]: expected PONG, got \"\"");
        stack.healthy();
        assertPasses("shift.redis");

        // the backup: too old, then its S3 copy not verified
        stack.backupAge = 48 * HOUR;
        assertFails("shift.backup", "last verified backup of stellar_escrow 2d ago, older than 1.1d");
        stack.healthy();
        stack.s3CopyVerified = false;
        assertFails("shift.backup", "backup 41 of stellar_escrow has no verified off-host copy");
        stack.healthy();
        assertPasses("shift.backup");

        stack.drillAge = 33 * DAY;
        assertFails("jobs.dr-test", "the last drill of stellar_escrow passed 33d ago, longer than 32d");
        stack.drillAge = null;
        assertFails("jobs.dr-test", "no drill of stellar_escrow passed yet");
        stack.healthy();
        assertPasses("jobs.dr-test");

        stack.runbookAge.put("rotate-api-keys", 91 * DAY);
        assertFails("secrets.api-keys", "runbook rotate-api-keys last succeeded 91d ago, longer than 90d");
        stack.runbookAge.remove("rotate-api-keys");
        assertFails("secrets.api-keys", "runbook rotate-api-keys never succeeded");
        stack.healthy();
        assertPasses("secrets.api-keys");

        stack.runbookAge.put("rb-006", 9 * DAY);
        assertThat(warns("jobs.performance-report").message())
                .isEqualTo("runbook rb-006 last succeeded 9d ago, longer than 8d");
        stack.healthy();
        assertPasses("jobs.performance-report");

        // pg_stat_statements missing: the query fails, so the weekly report has nothing to read
        stack.observe(
                "postgres/query_latency",
                new Observation()
                        .put("CONNECTED", true)
                        .put("ERROR", "relation \"pg_stat_statements\" does not exist"));
        assertThat(warns("jobs.query-stats").state()).isEqualTo(ItemState.WARNING);
        stack.healthy();
        assertPasses("jobs.query-stats");
    }

    @Test
    void aP1ThatReachesNobodyFailsThePagingItem() throws Exception {
        // scope the P1 policy to the API and drop the catch-all: a P1 of the indexer would page nobody
        edit(
                "oncall.yaml",
                s -> s.replace("match: { severity: [P1] }", "match: { severity: [P1], service: [api] }")
                        .replace("    default: true\n", "    match: { severity: [P3, P4] }\n"));
        reload();
        assertFails("paging.p1", "no escalation policy takes every P1 incident and pages someone");
        edit("oncall.yaml", s -> s.replace("match: { severity: [P1], service: [api] }", "match: { severity: [P1] }"));
        reload();
        ItemResult again = assertPasses("paging.p1");
        assertThat(again.message()).isEqualTo("P1 incidents go to escalation policy p1");
    }

    @Test
    void attestationsHoldForTheirPeriodAndNeedAnOperator() {
        assertThatThrownBy(() -> checklists
                        .attesting()
                        .attest(LIST, "secrets.grafana-admin", "changed it", "rick", Role.RESPONDER))
                .isInstanceOf(ChecklistRefused.class)
                .hasMessage("attesting 'secrets.grafana-admin' needs the operator role or above");
        for (String id : MANUAL) {
            checklists.attesting().attest(LIST, id, "done as the guide says", "olivia", Role.OPERATOR);
        }
        Map<String, ItemResult> results = run();
        for (String id : MANUAL) assertThat(results.get(id).state()).as(id).isEqualTo(ItemState.ATTESTED);
        assertThat(checklists.show(LIST).last().ready()).isTrue();
        assertThat(checklists.show(LIST).last().score()).isEqualTo(100);

        // a quarter later the quarterly attestations lapse; the yearly password rotations still hold
        clock.advance(Duration.ofDays(91));
        results = run();
        for (String id : List.of("secrets.admin-keys", "secrets.grafana-admin", "secrets.s3-credentials"))
            assertThat(results.get(id).state()).as(id).isEqualTo(ItemState.EXPIRED);
        assertThat(results.get("guide.reviewed").state()).isEqualTo(ItemState.EXPIRED);
        for (String id : List.of("secrets.postgres-password", "secrets.redis-password"))
            assertThat(results.get(id).state()).as(id).isEqualTo(ItemState.ATTESTED);
        assertThat(checklists.show(LIST).last().ready()).isFalse();
    }

    private void breakAndRepair(String item, String check, Observation broken, String message) {
        stack.observe(check, broken);
        assertFails(item, message);
        stack.healthy();
        assertPasses(item);
    }

    private void reload() throws ConfigException {
        Blueprint old = blueprint;
        blueprint = load();
        old.close();
    }

    private void edit(String file, UnaryOperator<String> change) throws IOException {
        Path p = dir.resolve(file);
        String before = Files.readString(p);
        String after = change.apply(before);
        assertThat(after).as("the edit changes %s", file).isNotEqualTo(before);
        Files.writeString(p, after);
    }

    /** Fails {@code item} with exactly {@code message}; every other automated item still passes. */
    private ItemResult assertFails(String item, String message) {
        Map<String, ItemResult> results = run();
        ItemResult r = results.get(item);
        assertThat(r.state()).as(r.message()).isEqualTo(ItemState.FAILED);
        assertThat(r.message()).isEqualTo(message);
        results.forEach((id, other) -> {
            if (!id.equals(item) && !MANUAL.contains(id))
                assertThat(other.state())
                        .as("%s stays passed while %s fails: %s", id, item, other.message())
                        .isEqualTo(ItemState.PASSED);
        });
        return r;
    }

    private ItemResult warns(String item) {
        ItemResult r = run().get(item);
        assertThat(r.state()).as(r.message()).isEqualTo(ItemState.WARNING);
        return r;
    }

    private ItemResult assertPasses(String item) {
        ItemResult r = run().get(item);
        assertThat(r.state()).as(r.message()).isEqualTo(ItemState.PASSED);
        return r;
    }

    /**
     * What a server watching the stack would know: the latest measurement of each check (judged by the example's
     * compiled check, as the monitor judges it), the newest verified backup and its copies, drill passes and
     * runbook successes, as ages before the clock's now.
     */
    private final class Stack implements ChecklistSources {
        private final Map<String, Observation> observed = new ConcurrentHashMap<>();
        volatile Long backupAge;
        volatile boolean s3CopyVerified;
        volatile Long drillAge;
        final Map<String, Long> runbookAge = new ConcurrentHashMap<>();

        /** Every check up, last night's backup verified in both destinations, the drill and runbooks recent. */
        void healthy() {
            observed.clear();
            observe("nginx/site", http(200, "ok"));
            observe("api/health", http(200, "{\"status\":\"ok\"}"));
            observe("indexer/health", http(200, "{\"status\":\"ok\",\"lag_seconds\":12}"));
            observe("postgres/ready", postgres(3, 1));
            observe("postgres/query_latency", postgres(3, 4.5));
            observe("redis/ping", redis(true));
            observe("web/ttfb", http(200, "<html></html>"));
            observe("host/disk", disk(41.0));
            observe("nginx/certificate", certificate(62));
            backupAge = 7 * HOUR;
            s3CopyVerified = true;
            drillAge = 6 * DAY;
            runbookAge.clear();
            runbookAge.put("rotate-api-keys", 30 * DAY);
            runbookAge.put("rb-006", 2 * DAY);
        }

        void observe(String check, Observation o) {
            observed.put(check, o);
        }

        @Override
        public CheckResult latestCheck(String checkId) {
            CompiledCheck check = blueprint.checks().get(checkId);
            Observation o = observed.get(checkId);
            if (check == null || o == null) return null;
            return check.judge(o, clock.instant().minusSeconds(20), 15);
        }

        @Override
        public BackupFact lastVerifiedBackup(String target) {
            Long age = backupAge;
            if (age == null) return null;
            List<DestinationDef> destinations =
                    blueprint.config().keep().backups().get(target).destinations();
            Map<String, Boolean> copies = new LinkedHashMap<>();
            Set<String> local = new java.util.HashSet<>();
            for (DestinationDef d : destinations) {
                copies.put(d.name(), d.type().equals("local") || s3CopyVerified);
                if (d.type().equals("local")) local.add(d.name());
            }
            return new BackupFact(41, clock.millis() - age, copies, local);
        }

        @Override
        public List<Long> drillPasses(String target, int limit) {
            Long age = drillAge;
            return age == null ? List.of() : List.of(clock.millis() - age);
        }

        @Override
        public Long lastRunbookSuccess(String runbook) {
            Long age = runbookAge.get(runbook);
            return age == null ? null : clock.millis() - age;
        }

        @Override
        public List<String> liveNodes() {
            return List.of("stellarescrow-1");
        }

        @Override
        public Long lastMetricsScrape() {
            return null;
        }

        static Observation http(long status, String body) {
            return new Observation()
                    .put("CONNECTED", true)
                    .put("STATUS", status)
                    .put("BODY", body)
                    .put("RESPONSE_TIME", Duration.ofMillis(120));
        }

        static Observation postgres(long connections, Object value) {
            return new Observation()
                    .put("CONNECTED", true)
                    .put("VALUE", value)
                    .put("ROWS", 1L)
                    .put("CONNECTIONS", connections)
                    .put("MAX_CONNECTIONS", 10L)
                    .put("CONNECTIONS_PERCENT", connections * 100.0 / 10)
                    .put("RESPONSE_TIME", Duration.ofMillis(5));
        }

        static Observation redis(boolean answers) {
            return new Observation()
                    .put("CONNECTED", answers)
                    .put("PING", answers ? "PONG" : "")
                    .put("HIT_RATE", 91.0)
                    .put("USED_MEMORY", new Observation.Size(40L * 1024 * 1024))
                    .put("RESPONSE_TIME", Duration.ofMillis(2));
        }

        static Observation disk(double usedPercent) {
            return new Observation().put("USED_PERCENT", usedPercent);
        }

        static Observation certificate(long days) {
            return new Observation()
                    .put("CONNECTED", true)
                    .put("CHAIN_VALID", true)
                    .put("HOSTNAME_VALID", true)
                    .put("CERTIFICATE_EXPIRATION", Duration.ofDays(days).plusHours(12))
                    .put("DAYS_TO_EXPIRY", days);
        }
    }
}
