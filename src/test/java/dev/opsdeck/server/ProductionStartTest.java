package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Bootstrap;
import dev.opsdeck.auth.Role;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production profile refuses before it creates anything, and starts once the checklist passes. */
class ProductionStartTest {
    @TempDir
    Path dir;

    @Test
    void aConfigurationThatFailsTheChecklistCreatesNeitherDataDirNorStoreNorAdmin() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"),
                "server: { data_dir: \"" + data + "\" }\nruntime: { profile: production }\n");
        assertThatThrownBy(() -> OpsdeckServer.start(config, new OpsdeckServer.Options(0, 200)))
                .isInstanceOf(StartRefused.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("the store must be PostgreSQL")
                        .contains("network.allowed_subnets must be set")
                        .contains(data + " does not exist")
                        .doesNotContain("bootstrap"));
        assertThat(data).as("no embedded store, no initial-admin-password").doesNotExist();
    }

    @Test
    void aNewStoreIsRefusedWithoutCreatingTheAdminAndAcceptedOnceTheBootstrapIsDone() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        String database = TestDatabases.create();
        try {
            Path data = Files.createDirectory(dir.resolve("data"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            String common = """
                    server: { data_dir: "%s", port: 0 }
                    store: { url: "postgresql://postgres@127.0.0.1:5432/%s" }
                    network: { allowed_subnets: [127.0.0.1], trusted_proxies: [127.0.0.1] }
                    """.formatted(data, database);
            Path production =
                    Files.writeString(dir.resolve("production.yaml"), common + "runtime: { profile: production }\n");
            assertThatThrownBy(() -> OpsdeckServer.start(production, new OpsdeckServer.Options(0, 200)))
                    .isInstanceOf(StartRefused.class)
                    .hasMessage(
                            "production profile: the bootstrap admin password must be changed: the store has no user"
                                    + " yet: Opsdeck has never started on it, and the production profile does not create the admin"
                                    + " — fix: on a new install start once with runtime.profile: development, sign in as admin"
                                    + " with the password in " + data.resolve(Bootstrap.FILE_NAME)
                                    + ", set a new one, then set"
                                    + " production; or, for an install run without a browser, create an admin key first with opsdeck"
                                    + " apikey bootstrap NAME --config PATH");
            assertThat(data.resolve(Bootstrap.FILE_NAME)).doesNotExist();
            assertThat(users(database))
                    .as("no admin created by a refused start")
                    .isZero();

            // the documented first start: development, change the generated password, then production
            Path development = Files.writeString(dir.resolve("development.yaml"), common);
            try (OpsdeckServer first = OpsdeckServer.start(development, new OpsdeckServer.Options(0, 200))) {
                String initial =
                        Files.readString(data.resolve(Bootstrap.FILE_NAME)).strip();
                assertThatThrownBy(() -> OpsdeckServer.start(production, new OpsdeckServer.Options(0, 200)))
                        .isInstanceOf(StartRefused.class)
                        .hasMessageContaining("still exists");
                first.access().users().changePassword(Bootstrap.ADMIN, initial, "a-new-passphrase-for-ops");
            }
            try (OpsdeckServer server = OpsdeckServer.start(production, new OpsdeckServer.Options(0, 200))) {
                assertThat(server.port()).isPositive();
            }
        } finally {
            TestDatabases.drop(database);
        }
    }

    @Test
    void aNewStoreGivenAnAdminKeyHeadlesslyStartsInProductionWithoutABootstrapAdmin() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        String database = TestDatabases.create();
        try {
            Path data = Files.createDirectory(dir.resolve("data"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Path production = Files.writeString(dir.resolve("production.yaml"), """
                    server: { data_dir: "%s", port: 0 }
                    store: { url: "postgresql://postgres@127.0.0.1:5432/%s" }
                    network: { allowed_subnets: [127.0.0.1], trusted_proxies: [127.0.0.1] }
                    runtime: { profile: production }
                    """.formatted(data, database));
            // what `opsdeck apikey bootstrap automation` does before the first start
            try (Store store = Store.open(TestDatabases.config(database), data)) {
                new ApiKeys(store, Clock.systemUTC()).create("automation", "automation", Role.ADMIN, true, null);
            }
            try (OpsdeckServer server = OpsdeckServer.start(production, new OpsdeckServer.Options(0, 200))) {
                assertThat(server.port()).isPositive();
            }
            assertThat(data.resolve(Bootstrap.FILE_NAME)).doesNotExist();
            assertThat(users(database))
                    .as("no bootstrap admin beside the service account's key")
                    .isZero();
        } finally {
            TestDatabases.drop(database);
        }
    }

    private static int users(String database) throws Exception {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM users")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
