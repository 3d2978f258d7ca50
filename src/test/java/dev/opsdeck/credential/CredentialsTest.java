package dev.opsdeck.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Sql;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CredentialsTest {
    private static final Instant START = Instant.parse("2026-06-01T08:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final Map<String, String> env = new HashMap<>(Map.of("JWT_SECRET", "jwt-secret-one"));
    private InventoryFixture fx;
    private Credentials credentials;
    private Path secret;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        secret = Files.writeString(dir.resolve("api_keys"), "old-key-0123456789\n");
        fx = new InventoryFixture(dir, """
                runbooks:
                  rotate-api-key:
                    title: Rotate the API key
                    steps:
                      - id: noop
                        title: nothing
                        type: shell
                        run: "true"
                credentials:
                  api-key:
                    owner: platform
                    purpose: the API gateway's client keys
                    source: file:api_keys
                    rotate_every: 90d
                    overlap: 7d
                    rotation_runbook: rotate-api-key
                  jwt:
                    owner: platform
                    purpose: JWT signing
                    source: env:JWT_SECRET
                    rotate_every: 30d
                  grafana-admin:
                    owner: ops
                    purpose: Grafana admin password
                    rotate_every: 90d
                    last_rotated: 2026-01-15
                """);
        credentials = new Credentials(
                fx.store,
                () -> fx.config.credentials(),
                Fingerprints.in(dir.resolve("data")),
                env::get,
                fx.sink,
                new InventoryMetrics(null),
                clock);
        logs.start();
        ((Logger) LoggerFactory.getLogger(Credentials.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(Credentials.class)).detachAppender(logs);
        fx.close();
    }

    @Test
    void aManualCredentialPastItsCadenceIsOverdueAndAlertsOnceAcrossRefreshes() {
        List<Credential> list = credentials.refresh();
        assertThat(list.getFirst().name()).isEqualTo("grafana-admin"); // what needs action comes first
        Credential grafana = credentials.get("grafana-admin");
        assertThat(grafana.state()).isEqualTo(Credential.OVERDUE);
        assertThat(grafana.dueAt()).isEqualTo(Instant.parse("2026-04-15T00:00:00Z"));
        credentials.refresh();
        credentials.refresh();
        assertThat(fx.named("CredentialOverdue")).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
            assertThat(e.fingerprint()).isEqualTo("credential/grafana-admin/overdue");
            assertThat(e.labels()).containsEntry("owner", "ops");
        });
        assertThat(credentials.overdue()).extracting(Credential::name).containsExactly("grafana-admin");
    }

    @Test
    void aChangedFileIsARotationWithItsOverlapAndWithdrawingTheOldValueEndsTheOverlap() throws Exception {
        credentials.refresh();
        Credential first = credentials.get("api-key");
        assertThat(first.state()).isEqualTo(Credential.OK);
        assertThat(first.rotationSeen()).isFalse();
        assertThat(first.rotatedAt()).isEqualTo(START); // first read: its age counts from now

        clock.advance(Duration.ofDays(10));
        Files.writeString(secret, "old-key-0123456789,new-key-9876543210\n"); // new key alongside the old one
        credentials.refresh();
        Credential rotated = credentials.get("api-key");
        assertThat(rotated.rotationSeen()).isTrue();
        assertThat(rotated.rotatedAt()).isEqualTo(START.plus(Duration.ofDays(10)));
        assertThat(rotated.previousValidUntil()).isEqualTo(START.plus(Duration.ofDays(17)));
        assertThat(rotated.dueAt()).isEqualTo(START.plus(Duration.ofDays(100)));

        clock.advance(Duration.ofDays(2));
        Files.writeString(secret, "new-key-9876543210\n"); // old key withdrawn inside the window
        credentials.refresh();
        Credential done = credentials.get("api-key");
        assertThat(done.rotatedAt()).isEqualTo(START.plus(Duration.ofDays(10))); // not a second rotation
        assertThat(done.previousValidUntil()).isNull();

        Files.writeString(secret, "new-key-9876543210"); // only the final newline differs: no rotation
        credentials.refresh();
        assertThat(credentials.get("api-key").rotatedAt()).isEqualTo(START.plus(Duration.ofDays(10)));
    }

    @Test
    void anOverdueSourceAlertsUntilItIsRotatedThenResolves() throws Exception {
        credentials.refresh();
        clock.advance(Duration.ofDays(91));
        credentials.refresh();
        credentials.refresh();
        List<AlertEvent> overdue = fx.events.stream()
                .filter(e -> e.fingerprint().equals("credential/api-key/overdue"))
                .toList();
        assertThat(overdue).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
            assertThat(e.runbook()).isEqualTo("rotate-api-key");
        });
        Files.writeString(secret, "rotated-key-abcdef");
        credentials.refresh();
        assertThat(credentials.get("api-key").state()).isEqualTo(Credential.OK);
        assertThat(fx.events.stream().filter(e -> e.fingerprint().equals("credential/api-key/overdue")))
                .extracting(AlertEvent::state)
                .containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
    }

    @Test
    void aSourceThatDisappearsIsSourceMissingWithItsPathAndAlertsAndComingBackUnchangedIsNoRotation() throws Exception {
        credentials.refresh();
        Files.delete(secret);
        credentials.refresh();
        Credential missing = credentials.get("api-key");
        assertThat(missing.state()).isEqualTo(Credential.SOURCE_MISSING);
        assertThat(missing.message()).isEqualTo("file " + secret + " does not exist (any more)");
        assertThat(credentials.list().getFirst().name()).isEqualTo("api-key");
        assertThat(fx.named("CredentialSourceMissing"))
                .singleElement()
                .satisfies(e -> assertThat(e.summary())
                        .isEqualTo("credential api-key: file " + secret + " does not exist (any more)"));

        env.remove("JWT_SECRET");
        credentials.refresh();
        assertThat(credentials.get("jwt").message())
                .isEqualTo("environment variable JWT_SECRET is not set for Opsdeck");

        clock.advance(Duration.ofHours(1));
        Files.writeString(secret, "old-key-0123456789");
        credentials.refresh();
        Credential back = credentials.get("api-key");
        assertThat(back.state()).isEqualTo(Credential.OK);
        assertThat(back.rotationSeen()).isFalse();
        assertThat(fx.events.stream().filter(e -> e.fingerprint().equals("credential/api-key/source")))
                .extracting(AlertEvent::state)
                .containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
    }

    @Test
    void aSourceThatIsADirectoryOrUnreadableIsSaidExactly() throws Exception {
        Files.delete(secret);
        Files.createDirectory(secret);
        credentials.refresh();
        Credential c = credentials.get("api-key");
        assertThat(c.state()).isEqualTo(Credential.SOURCE_UNREADABLE);
        assertThat(c.message()).isEqualTo(secret + " is a directory, not a secret file");

        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Files.delete(secret);
        Files.writeString(secret, "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        credentials.refresh();
        assertThat(credentials.get("api-key").message())
                .isEqualTo("cannot read " + secret + ": permission denied for Opsdeck's user");
    }

    @Test
    void neitherSecretNorFingerprintAppearsInAnyViewAlertOrLogAndTheKeyIsOwnerOnly() throws Exception {
        credentials.refresh();
        clock.advance(Duration.ofDays(1));
        Files.writeString(secret, "second-key-5555555555");
        credentials.refresh();
        Files.delete(secret);
        credentials.refresh();
        List<String> fingerprints = new Sql(fx.store, "test")
                .query(
                        "SELECT fingerprint FROM credential_state WHERE fingerprint IS NOT NULL"
                                + " UNION SELECT previous_fingerprint FROM credential_state"
                                + " WHERE previous_fingerprint IS NOT NULL",
                        rs -> rs.getString(1));
        assertThat(fingerprints)
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(f -> assertThat(f).hasSize(64));
        StringBuilder everything = new StringBuilder();
        for (Credential c : credentials.list())
            everything.append(Json.MAPPER.writeValueAsString(c.view(clock.instant())));
        for (AlertEvent e : fx.events) everything.append(Json.MAPPER.writeValueAsString(e));
        logs.list.forEach(e -> everything.append(e.getFormattedMessage()));
        assertThat(logs.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("credential_rotated"));
        String all = everything.toString();
        for (String f : fingerprints) {
            assertThat(all).doesNotContain(f).doesNotContain(f.substring(0, 12));
        }
        assertThat(all)
                .doesNotContain("old-key-0123456789")
                .doesNotContain("second-key-5555555555")
                .doesNotContain("jwt-secret-one");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(dir.resolve("data").resolve(Fingerprints.FILE))))
                    .isEqualTo("rw-------");
        }
        // keyed: the same secret under another installation's key has another fingerprint
        Path other = Files.createDirectories(dir.resolve("other"));
        assertThat(Fingerprints.in(other).of("second-key-5555555555".getBytes()))
                .isNotEqualTo(Fingerprints.in(dir.resolve("data")).of("second-key-5555555555".getBytes()));
        assertThatThrownBy(() -> credentials.get("nope"))
                .isInstanceOf(Credentials.UnknownCredential.class)
                .hasMessage("no credential 'nope'");
    }
}
