package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.ManualClock;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.checklist.ChecklistSources;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.checklist.ItemState;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/production}: installed as its README says on a host laid out under a temporary folder (the
 * configuration, the included checklist, the secret file, the data directory and the systemd unit at their paths
 * below it), loaded by the configuration loader as {@code opsdeck serve} loads it, and both its checklist
 * {@code opsdeck} and the built-in {@code doctor} run by the checklist engine. On a new install the host items and
 * the settings pass while everything only a working server proves (backups, drills, scrapes, runbook runs, a second
 * node) does not yet; once the server has done that work every item passes; and each way the host can drift fails
 * exactly its item.
 */
class ProductionChecklistTest {
    private static final Path EXAMPLE = ExamplesTest.EXAMPLES.resolve("production");
    private static final long HOUR = 3_600_000L, DAY = 24 * HOUR;
    /** The host paths the example names, and where they are on the host laid out for the test. */
    private static final List<String> HOST_PATHS = List.of(
            "/etc/opsdeck/opsdeck.yaml",
            "/etc/systemd/system/opsdeck.service",
            "/var/lib/opsdeck/initial-admin-password",
            "data_dir: /var/lib/opsdeck",
            "path: /var/lib/opsdeck/backups");

    @TempDir
    Path host;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T09:00:00Z"));
    private final Server server = new Server();
    private Path config;
    private Blueprint blueprint;
    private Store store;
    private Checklists checklists;

    @BeforeEach
    void install() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path etc = Files.createDirectories(host.resolve("etc/opsdeck/secrets"));
        config = etc.getParent().resolve("opsdeck.yaml");
        Files.writeString(config, onHost(Files.readString(EXAMPLE.resolve("opsdeck.yaml"))));
        chmod(config, "rw-r-----");
        Files.writeString(
                etc.getParent().resolve("checklists.yaml"),
                onHost(Files.readString(EXAMPLE.resolve("checklists.yaml"))));
        Path secret = Files.copy(EXAMPLE.resolve("secrets/opsdeck_db_password"), etc.resolve("opsdeck_db_password"));
        chmod(secret, "rw-------");
        chmod(Files.createDirectories(host.resolve("var/lib/opsdeck")), "rwx------");
        Files.copy(
                EXAMPLE.resolve("opsdeck.service"),
                Files.createDirectories(host.resolve("etc/systemd/system")).resolve("opsdeck.service"));

        blueprint = load();
        store = Store.open(new StoreConfig("embedded", 2, Position.NONE), host.resolve("opsdeck-test-store"));
        checklists = new Checklists(
                store,
                blueprint::checklists,
                () -> Checklists.masker(blueprint.config()),
                server,
                null,
                new SimpleMeterRegistry(),
                clock);
    }

    @AfterEach
    void close() throws Exception {
        if (checklists != null) checklists.close();
        if (store != null) store.close();
        if (blueprint != null) blueprint.close();
    }

    private String onHost(String yaml) {
        String out = yaml;
        for (String p : HOST_PATHS) {
            int slash = p.indexOf('/');
            out = out.replace(p, p.substring(0, slash) + host + p.substring(slash));
        }
        return out;
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private Blueprint load() throws ConfigException {
        Map<String, String> env = Map.of(
                "DATABASE_URL", "postgresql://monitor:example-password@127.0.0.1:5432/app",
                "PAGER_WEBHOOK_URL", "https://pager.example.com/hook");
        return new Compiler(new ConfigLoader(new YamlReader(env::get))).load(config);
    }

    private Map<String, ItemResult> run(String checklist) {
        return checklists.run(checklist, "manual", "test").results().stream()
                .collect(Collectors.toMap(ItemResult::itemId, r -> r));
    }

    @Test
    void theServerLoadsTheChecklistBesideDoctor() {
        assertThat(blueprint.checklists()).containsOnlyKeys("opsdeck", "doctor");
        assertThat(blueprint.checklists().get("opsdeck").def().items())
                .extracting(i -> i.id())
                .containsExactly(
                        "https",
                        "certificate",
                        "metrics.scraped",
                        "paging.p1",
                        "nodes",
                        "backup.offsite",
                        "drill.daily",
                        "runtime.profile",
                        "disk",
                        "bootstrap.shredded",
                        "unit.hardened",
                        "api-keys.hygiene");
    }

    @Test
    void aNewInstallPassesTheHostAndSettingsAndWaitsForTheServersWork() {
        Map<String, ItemResult> r = run("opsdeck");
        assertState(r, "https", ItemState.ERROR, "check opsdeck/https has no result yet");
        assertState(r, "certificate", ItemState.ERROR, "check opsdeck/certificate has no result yet");
        assertState(r, "metrics.scraped", ItemState.FAILED, "/metrics was not scraped since the server started");
        assertState(r, "paging.p1", ItemState.PASSED, "P1 incidents go to escalation policy everything");
        assertState(r, "nodes", ItemState.WARNING, "1 live node (need 2)");
        assertState(r, "backup.offsite", ItemState.FAILED, "no verified backup of opsdeck");
        assertState(r, "drill.daily", ItemState.FAILED, "drills of opsdeck passed 0 days in a row (need 7)");
        assertState(r, "runtime.profile", ItemState.PASSED, null);
        assertState(r, "disk", ItemState.ERROR, "check opsdeck/data-dir has no result yet");
        assertState(r, "bootstrap.shredded", ItemState.PASSED, null);
        assertState(r, "unit.hardened", ItemState.PASSED, null);
        assertState(r, "api-keys.hygiene", ItemState.FAILED, "runbook api-key-hygiene never succeeded");
        assertThat(checklists.show("opsdeck").last().ready()).isFalse();

        Map<String, ItemResult> doctor = run("doctor");
        doctor.forEach((id, result) -> assertThat(result.state())
                .as(id + ": " + result.message())
                .isEqualTo(id.equals("cluster-nodes") ? ItemState.WARNING : ItemState.PASSED));
        assertThat(doctor).containsKeys("store-tls", "secret-files-private", "data-dir-private", "lockout-on");
    }

    @Test
    void onceTheServerHasDoneItsWorkEveryItemPasses() {
        server.working();
        Map<String, ItemResult> r = run("opsdeck");
        r.forEach((id, result) ->
                assertThat(result.state()).as(id + ": " + result.message()).isEqualTo(ItemState.PASSED));
        assertThat(r.get("backup.offsite").message()).isEqualTo("backup 7 of opsdeck verified 6.5h ago");
        assertThat(r.get("backup.offsite").evidence()).containsEntry("off_host", List.of("offsite"));
        assertThat(r.get("drill.daily").message()).isEqualTo("drills of opsdeck passed 7 days in a row (need 7)");
        assertThat(checklists.show("opsdeck").last().score()).isEqualTo(100);
        Map<String, ItemResult> doctor = run("doctor");
        doctor.forEach((id, result) ->
                assertThat(result.state()).as(id + ": " + result.message()).isEqualTo(ItemState.PASSED));
    }

    @Test
    void eachDriftOfTheHostOrTheServersWorkFailsItsItem() throws IOException {
        server.working();
        Path dropIns = Files.createDirectories(host.resolve("etc/systemd/system/opsdeck.service.d"));
        Path debug = Files.writeString(dropIns.resolve("50-debug.conf"), "[Service]\nNoNewPrivileges=no\n");
        assertFails("unit.hardened", "[Service].NoNewPrivileges: expected true, got false");
        Files.delete(debug);
        assertPasses("unit.hardened");
        Files.writeString(dropIns.resolve("60-logs.conf"), "[Service]\nReadWritePaths=/var/log\n");
        assertFails(
                "unit.hardened",
                "[Service].ReadWritePaths: expected '/var/lib/opsdeck', got \"/var/lib/opsdeck /var/log\"");
        Files.delete(dropIns.resolve("60-logs.conf"));
        assertPasses("unit.hardened");

        Path password = Files.writeString(host.resolve("var/lib/opsdeck/initial-admin-password"), "generated\n");
        assertFails("bootstrap.shredded", "[EXISTS]: expected false, got true");
        Files.delete(password);
        assertPasses("bootstrap.shredded");

        chmod(config, "rw-r--r--");
        assertFails("runtime.profile", "[MODE]: expected any(0640, 0600), got \"0644\"");
        chmod(config, "rw-r-----");
        edit(config, s -> s.replace("profile: production", "profile: development"));
        assertFails("runtime.profile", "[VALUE]: expected production, got \"development\"");
        edit(config, s -> s.replace("profile: development", "profile: production"));
        assertPasses("runtime.profile");

        server.offsiteVerified = false;
        assertFails("backup.offsite", "backup 7 of opsdeck has no verified off-host copy");
        server.working();
        server.drillDaysAgo = List.of(0, 1, 2, 4, 5, 6, 7);
        assertFails("drill.daily", "drills of opsdeck passed 3 days in a row (need 7)");
        server.working();
        server.scrapeAge = 6 * 60_000L;
        assertFails("metrics.scraped", "/metrics scraped 6m ago, longer than 5m");
        server.working();
        server.runbookAge = 9 * DAY;
        assertFails("api-keys.hygiene", "runbook api-key-hygiene last succeeded 9d ago, longer than 8d");
        server.working();
        server.diskUsed = 93.0;
        assertFails("disk", "[USED_PERCENT]: expected < 90%, got 93%");
        server.working();
        server.certificateDays = 10;
        assertFails("certificate", "degraded: [DAYS_TO_EXPIRY]: 10 < 21");
        server.working();
        assertPasses("certificate");
    }

    private void edit(Path p, UnaryOperator<String> change) throws IOException {
        String before = Files.readString(p);
        String after = change.apply(before);
        assertThat(after).as("the edit changes %s", p).isNotEqualTo(before);
        Files.writeString(p, after);
    }

    private static void assertState(Map<String, ItemResult> results, String id, ItemState state, String message) {
        ItemResult r = results.get(id);
        assertThat(r.state()).as(id + ": " + r.message()).isEqualTo(state);
        if (message != null) assertThat(r.message()).as(id).isEqualTo(message);
    }

    /** Fails {@code item} with exactly {@code message}; every other item of the checklist still passes. */
    private void assertFails(String item, String message) {
        Map<String, ItemResult> results = run("opsdeck");
        assertState(results, item, ItemState.FAILED, message);
        results.forEach((id, other) -> {
            if (!id.equals(item))
                assertThat(other.state())
                        .as("%s stays passed while %s fails: %s", id, item, other.message())
                        .isEqualTo(ItemState.PASSED);
        });
    }

    private void assertPasses(String item) {
        assertState(run("opsdeck"), item, ItemState.PASSED, null);
    }

    /**
     * What the running server knows, as {@code ChecklistSources} answers it: the latest result of each check (the
     * example's compiled check judging what the proxy answered), its backups, drills, runbook runs, scrapes and
     * nodes, as ages before the clock's now. New, it knows nothing but itself.
     */
    private final class Server implements ChecklistSources {
        volatile boolean checked;
        volatile long certificateDays;
        volatile double diskUsed;
        volatile Long backupAge;
        volatile boolean offsiteVerified;
        volatile List<Integer> drillDaysAgo = List.of();
        volatile Long scrapeAge;
        volatile Long runbookAge;
        volatile List<String> nodes = List.of("opsdeck-1");

        /** A night's backup and drill behind it, scraped, the Monday runbook green, a second node up. */
        void working() {
            checked = true;
            certificateDays = 60;
            diskUsed = 35.0;
            backupAge = 6 * HOUR + 30 * 60_000L;
            offsiteVerified = true;
            drillDaysAgo = List.of(0, 1, 2, 3, 4, 5, 6);
            scrapeAge = 15_000L;
            runbookAge = 3 * DAY;
            nodes = List.of("opsdeck-1", "opsdeck-2");
        }

        @Override
        public CheckResult latestCheck(String checkId) {
            CompiledCheck check = blueprint.checks().get(checkId);
            if (!checked || check == null) return null;
            Observation o = checkId.equals("opsdeck/data-dir")
                    ? new Observation().put("USED_PERCENT", diskUsed)
                    : checkId.equals("opsdeck/certificate")
                            ? new Observation()
                                    .put("CONNECTED", true)
                                    .put("CHAIN_VALID", true)
                                    .put("HOSTNAME_VALID", true)
                                    .put("CERTIFICATE_EXPIRATION", Duration.ofDays(certificateDays))
                                    .put("DAYS_TO_EXPIRY", certificateDays)
                            : new Observation()
                                    .put("CONNECTED", true)
                                    .put("STATUS", 200L)
                                    .put("BODY", "{\"status\":\"ok\"}")
                                    .put("RESPONSE_TIME", Duration.ofMillis(40));
            return check.judge(o, clock.instant().minusSeconds(30), 40);
        }

        @Override
        public BackupFact lastVerifiedBackup(String target) {
            Long age = backupAge;
            if (age == null) return null;
            return new BackupFact(
                    7, clock.millis() - age, Map.of("local", true, "offsite", offsiteVerified), Set.of("local"));
        }

        @Override
        public List<Long> drillPasses(String target, int limit) {
            List<Long> out = new ArrayList<>();
            // the drill runs at 04:30 UTC; the clock says 09:00, so today's has passed
            for (int d : drillDaysAgo) out.add(clock.millis() - d * DAY - 4 * HOUR - 30 * 60_000L);
            return out;
        }

        @Override
        public Long lastRunbookSuccess(String runbook) {
            Long age = runbookAge;
            return age == null ? null : clock.millis() - age;
        }

        @Override
        public List<String> liveNodes() {
            return nodes;
        }

        @Override
        public Long lastMetricsScrape() {
            Long age = scrapeAge;
            return age == null ? null : clock.millis() - age;
        }

        @Override
        public BootstrapState bootstrap() {
            return BootstrapState.CHANGED;
        }
    }
}
