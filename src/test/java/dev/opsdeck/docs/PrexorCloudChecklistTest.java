package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.checklist.ChecklistSources;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.checklist.ItemResult;
import dev.opsdeck.checklist.ItemState;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.runbook.Masker;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/prexorcloud}: a copy of the example and its installation in a temporary folder, loaded through the
 * configuration loader and run by the checklist engine. The shipped installation passes every automated item; each
 * change the production guide warns about fails exactly its item, with the evidence saying where, and undoing it
 * passes the item again.
 */
class PrexorCloudChecklistTest {
    private static final Path EXAMPLE = ExamplesTest.EXAMPLES.resolve("prexorcloud");
    private static final List<String> MANUAL = List.of("stores.own-auth", "dr.drill", "cosign.documented");

    @TempDir
    Path dir;

    private Path root;
    private Blueprint blueprint;
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
        root = dir.resolve("install");
        Map<String, String> env = Map.of("PREXORCLOUD_ROOT", root.toString());
        blueprint = new Compiler(new ConfigLoader(new YamlReader(env::get))).load(dir);
        store = Store.open(new StoreConfig("embedded", 2, Position.NONE), dir.resolve("data"));
        Masker masker =
                Masker.of(blueprint.config().runbooks()).with(blueprint.config().literalSecrets());
        checklists = new Checklists(
                store,
                blueprint::checklists,
                () -> masker,
                new NothingRunning(),
                null,
                new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        checklists.close();
        store.close();
        blueprint.close();
    }

    private Map<String, ItemResult> run() {
        return checklists.run("prexorcloud", "manual", "test").results().stream()
                .collect(Collectors.toMap(ItemResult::itemId, r -> r));
    }

    private void edit(String file, UnaryOperator<String> change) throws IOException {
        Path p = root.resolve(file);
        String before = Files.readString(p);
        String after = change.apply(before);
        assertThat(after).as("the edit changes %s", file).isNotEqualTo(before);
        Files.writeString(p, after);
    }

    @Test
    void theShippedInstallationPassesEveryAutomatedItem() {
        Map<String, ItemResult> results = run();
        assertThat(results).hasSize(18);
        results.forEach((id, r) -> {
            if (MANUAL.contains(id)) assertThat(r.state()).as(id).isEqualTo(ItemState.UNATTESTED);
            else if (id.equals("daemon.running-limits"))
                assertThat(r.state()).as(r.message()).isEqualTo(ItemState.WARNING);
            else assertThat(r.state()).as(id + ": " + r.message()).isEqualTo(ItemState.PASSED);
        });
        assertThat(results.get("daemon.running-limits").message()).startsWith("[RUNNING]: expected true, got false");
        assertThat(values(results.get("runtime.profile")))
                .containsEntry("VALUE", "production")
                .containsEntry("LINE", 5L)
                .as("a path built from ${env:} is masked like every ${env:} value")
                .containsEntry("PATH", "***");
        assertThat(values(results.get("security.jwt-secret")))
                .as("the secret is compared, never kept")
                .doesNotContainKey("VALUE");
        assertThat(results.get("security.jwt-secret").toString()).doesNotContain("q3J0mV8b2Xk7");
        assertThat(values(results.get("systemd.hardened")).toString())
                .contains("prexorcloud-controller.service.d/10-hardening.conf");
    }

    @Test
    void eachWarningOfTheGuideFailsItsItemAndUndoingItPassesAgain() throws IOException {
        String controller = "etc/prexorcloud/config/controller.yml";
        Path bootstrap = root.resolve("etc/prexorcloud/config/.initial-admin-password");
        Files.writeString(bootstrap, "first-boot-password\n");
        assertFails("bootstrap.shredded", "[EXISTS]: expected false, got true");
        Files.delete(bootstrap);
        assertPasses("bootstrap.shredded");

        edit(controller, s -> s.replace("profile: production", "profile: development"));
        assertFails("runtime.profile", "[VALUE]: expected production, got \"development\"");
        edit(controller, s -> s.replace("profile: development", "profile: production"));
        assertPasses("runtime.profile");

        edit(controller, s -> s.replace("\"10.0.0.0/8\"", "\"0.0.0.0/0\""));
        assertFails("network.allowed-subnets", "[VALUE][0]: expected '10.0.0.0/8', got \"0.0.0.0/0\"");
        edit(controller, s -> s.replace("\"0.0.0.0/0\"", "\"10.0.0.0/8\""));
        assertPasses("network.allowed-subnets");

        edit(controller, s -> s.replace("\"127.0.0.1/32\"", "\"0.0.0.0/0\""));
        assertFails("http.trusted-proxies", "[VALUE].trustedProxyCidrs[0]: expected '127.0.0.1/32', got \"0.0.0.0/0\"");
        edit(controller, s -> s.replace("\"0.0.0.0/0\"", "\"127.0.0.1/32\""));
        assertPasses("http.trusted-proxies");

        edit(controller, s -> s.replaceFirst("jwtSecret: \"[^\"]+\"", "jwtSecret: \"changeme\""));
        ItemResult jwt = assertFails("security.jwt-secret", "len([VALUE]): expected >= 64, got 8");
        assertThat(jwt.toString()).doesNotContain("changeme");
        edit(controller, s -> s.replace("\"changeme\"", "\"" + "x".repeat(64) + "\""));
        assertPasses("security.jwt-secret");

        edit(controller, s -> s.replace("    enabled: true", "    enabled: false"));
        assertFails("security.lockout", "[VALUE]: expected true, got \"false\"");
        edit(controller, s -> s.replace("    enabled: false", "    enabled: true"));
        assertPasses("security.lockout");

        edit(controller, s -> s.replace("required: true", "required: false"));
        assertFails("modules.signing", "[VALUE].required: expected true, got \"false\"");
        edit(controller, s -> s.replace("required: false", "required: true"));
        assertPasses("modules.signing");

        String dropIn = "etc/systemd/system/prexorcloud-controller.service.d/10-hardening.conf";
        edit(dropIn, s -> s.replace("NoNewPrivileges=true\n", ""));
        assertFails("systemd.hardened", "[Service].NoNewPrivileges: no field \"NoNewPrivileges\"");
        edit(dropIn, s -> s + "NoNewPrivileges=yes\n");
        assertPasses("systemd.hardened");
        edit(dropIn, s -> s + "ReadWritePaths=/\n");
        assertFails(
                "systemd.hardened",
                "[Service].ReadWritePaths: expected '/var/lib/prexorcloud /var/log/prexorcloud', got"
                        + " \"/var/lib/prexorcloud /var/log/prexorcloud /\"");
        edit(dropIn, s -> s.replace("ReadWritePaths=/\n", ""));
        assertPasses("systemd.hardened");

        String service = "etc/systemd/system/prexorcloud-backup.service";
        edit(service, s -> s.replaceFirst("ExecStartPost=.*\n", ""));
        assertThat(assertFails("backups.off-host", null).message()).contains("ExecStartPost");
        edit(service, s -> s + "ExecStartPost=/usr/bin/rclone copy /var/lib/prexorcloud/backups offsite:b\n");
        assertPasses("backups.off-host");

        Files.delete(root.resolve("etc/systemd/system/prexorcloud-backup.timer"));
        assertThat(assertFails("backups.timer", null).message()).contains("prexorcloud-backup.timer not found");

        edit("etc/prometheus/prometheus.yml", s -> s.replace(", \"controller-2:8080\"", ""));
        assertFails("controllers.two", "len([VALUE]): expected >= 2, got 1");

        edit("etc/prometheus/rules/prexorcloud.yml", s -> s.replaceFirst("severity: critical", "severity: info"));
        assertFails("alerts.sev1", "[VALUE][0].labels.severity: expected critical, got \"info\"");
    }

    @Test
    void manualItemsHoldOnceAnOperatorAttestsThem() {
        for (String id : MANUAL) {
            checklists.attesting().attest("prexorcloud", id, "checked with the team", "alice", Role.OPERATOR);
        }
        Map<String, ItemResult> results = run();
        for (String id : MANUAL) {
            assertThat(results.get(id).state()).as(id).isEqualTo(ItemState.ATTESTED);
            assertThat(results.get(id).message()).startsWith("attested by alice at ");
        }
        assertThat(checklists.show("prexorcloud").last().ready()).isTrue();
    }

    private ItemResult assertFails(String item, String message) {
        Map<String, ItemResult> results = run();
        ItemResult r = results.get(item);
        assertThat(r.state()).as(r.message()).isEqualTo(ItemState.FAILED);
        if (message != null) assertThat(r.message()).isEqualTo(message);
        results.forEach((id, other) -> {
            if (!id.equals(item)
                    && !MANUAL.contains(id)
                    && !id.equals("daemon.running-limits")
                    && !id.startsWith("backups.")
                    && !id.equals("controllers.two")
                    && !id.equals("alerts.sev1")) {
                assertThat(other.state())
                        .as("%s stays passed while %s fails", id, item)
                        .isEqualTo(ItemState.PASSED);
            }
        });
        return r;
    }

    private void assertPasses(String item) {
        ItemResult r = run().get(item);
        assertThat(r.state()).as(r.message()).isEqualTo(ItemState.PASSED);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(ItemResult r) {
        return (Map<String, Object>) r.evidence().getOrDefault("values", Map.of());
    }

    /** No backups, drills, runbooks or server around: this checklist reads files only. */
    private static final class NothingRunning implements ChecklistSources {
        @Override
        public CheckResult latestCheck(String checkId) {
            return null;
        }

        @Override
        public BackupFact lastVerifiedBackup(String target) {
            return null;
        }

        @Override
        public List<Long> drillPasses(String target, int limit) {
            return List.of();
        }

        @Override
        public Long lastRunbookSuccess(String runbook) {
            return null;
        }

        @Override
        public List<String> liveNodes() {
            return List.of();
        }

        @Override
        public Long lastMetricsScrape() {
            return null;
        }
    }
}
