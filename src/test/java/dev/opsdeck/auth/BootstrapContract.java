package dev.opsdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The first admin, on every backend. */
abstract class BootstrapContract extends AuthContract {
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    Path dataDir;

    @BeforeEach
    void captureLog() throws Exception {
        log.list.clear();
        log.start();
        ((Logger) LoggerFactory.getLogger(Bootstrap.class)).addAppender(log);
        dataDir = backend.dataDir().resolve("data-" + System.nanoTime());
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(Bootstrap.class)).detachAppender(log);
    }

    @Test
    void anEmptyStoreGetsAnAdminWhosePasswordIsInAPrivateFileAndNotInTheLog() throws Exception {
        Optional<Path> file = Bootstrap.ensureAdmin(users, dataDir);
        assertThat(file).contains(dataDir.resolve("initial-admin-password"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.get())))
                .isEqualTo("rw-------");
        String password = Files.readString(file.get()).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20).matches("[A-Za-z0-9_-]+");
        Users.User admin = users.find("admin").orElseThrow();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.mustChangePassword()).isTrue();
        assertThat(users.login("admin", password, "127.0.0.1"))
                .isEqualTo(
                        new Users.LoginResult.Ok(new Principal("admin", Role.ADMIN, Principal.Kind.USER, null, true)));
        assertThat(log.list).hasSize(1);
        String line = log.list.getFirst().getFormattedMessage();
        assertThat(line)
                .startsWith("event=bootstrap_admin_created")
                .contains("file=" + file.get())
                .doesNotContain(password);
        assertThat(log.list.getFirst().getArgumentArray()).doesNotContain(password);
    }

    @Test
    void anActiveAdminServiceAccountKeyTakesThePlaceOfTheBootstrapAdmin() throws Exception {
        // keys that administer nothing (a lower role, revoked, expired) do not
        keys.create("grafana", "grafana", Role.VIEWER, true, null);
        keys.revoke(keys.create("old", "old", Role.ADMIN, true, null).key().id());
        keys.create("brief", "brief", Role.ADMIN, true, clock.millis() + 1_000);
        clock.advance(Duration.ofSeconds(2));
        assertThat(users.administeredByServiceAccount()).isFalse();
        keys.create("automation", "automation", Role.ADMIN, true, null);
        assertThat(Bootstrap.ensureAdmin(users, dataDir)).isEmpty();
        assertThat(users.list()).isEmpty();
        assertThat(dataDir.resolve("initial-admin-password")).doesNotExist();
        assertThat(log.list).isEmpty();
    }

    @Test
    void aStoreWithUsersIsLeftAlone() throws Exception {
        Path file = Bootstrap.ensureAdmin(users, dataDir).orElseThrow();
        String first = Files.readString(file);
        assertThat(Bootstrap.ensureAdmin(users, dataDir)).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(users.list()).hasSize(1);
        Bootstrap.forgetInitialPassword(dataDir);
        assertThat(file).doesNotExist();
        Bootstrap.forgetInitialPassword(dataDir); // nothing to delete: no error
        assertThat(Bootstrap.ensureAdmin(users, dataDir))
                .as("the admin still exists")
                .isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void aStaleFileFromAnEarlierStoreIsReplacedNotReused() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("initial-admin-password"), "stale\n");
        Files.setPosixFilePermissions(
                dataDir.resolve("initial-admin-password"), PosixFilePermissions.fromString("rw-r--r--"));
        Path file = Bootstrap.ensureAdmin(users, dataDir).orElseThrow();
        assertThat(Files.readString(file)).isNotEqualTo("stale\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
