package dev.opsdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys, on every backend. */
abstract class ApiKeysContract extends AuthContract {
    @BeforeEach
    void users() {
        users.create("root", Role.ADMIN, GOOD, false);
        users.create("alice", Role.OPERATOR, GOOD, false);
    }

    @Test
    void rotationWithOverlapThenRevokingTheOldKey() {
        ApiKeys.Created old = keys.create("deploy", "alice", Role.OPERATOR, false, null);
        clock.advance(Duration.ofDays(1));
        ApiKeys.Created next = keys.create("deploy 2", "alice", Role.OPERATOR, false, null);
        Principal expected = new Principal(
                "alice", Role.OPERATOR, Principal.Kind.API_KEY, old.key().id(), false);
        assertThat(keys.authenticate(old.secret(), "10.0.0.1")).contains(expected);
        assertThat(keys.authenticate(next.secret(), "10.0.0.1"))
                .hasValueSatisfying(
                        p -> assertThat(p.keyId()).isEqualTo(next.key().id()));
        assertThat(keys.listFor("alice"))
                .extracting(ApiKeys.ApiKey::id)
                .containsExactly(old.key().id(), next.key().id());
        assertThat(keys.revoke(old.key().id())).isTrue();
        assertThat(keys.revoke(old.key().id())).as("already revoked").isFalse();
        assertThat(keys.revoke("nope")).isFalse();
        assertThat(keys.authenticate(old.secret(), "10.0.0.1")).isEmpty();
        assertThat(keys.authenticate(next.secret(), "10.0.0.1")).isPresent();
        assertThat(keys.find(old.key().id()).orElseThrow().revokedMs()).isEqualTo(clock.millis());
    }

    @Test
    void secretsHaveAFixedShapeAndOnlyTheirHashIsStored() throws SQLException {
        ApiKeys.Created c = keys.create("ci", "alice", Role.VIEWER, false, null);
        assertThat(c.secret()).matches("odk_" + c.key().id() + "_[A-Za-z0-9_-]{43}");
        assertThat(c.key().id()).matches("[0-9a-f]{8}");
        assertThat(cells("api_keys"))
                .contains(Tokens.sha256(c.secret()))
                .allSatisfy(cell -> assertThat(cell).doesNotContain(c.secret().substring(13)));
        String wrongSecret =
                c.secret().substring(0, c.secret().length() - 2) + (c.secret().endsWith("AA") ? "BB" : "AA");
        for (String bad : new String[] {
            null,
            "",
            "odk_",
            c.secret() + "x",
            wrongSecret,
            c.secret().toUpperCase(),
            "odk_00000000_" + c.secret().substring(13),
            "Bearer " + c.secret()
        }) {
            assertThat(keys.authenticate(bad, "10.0.0.1")).as("%s", bad).isEmpty();
        }
    }

    @Test
    void expiredKeysAreRefused() {
        ApiKeys.Created c = keys.create("temp", "alice", Role.VIEWER, false, clock.millis() + 3_600_000);
        clock.advance(Duration.ofMinutes(59));
        assertThat(keys.authenticate(c.secret(), "10.0.0.1")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(keys.authenticate(c.secret(), "10.0.0.1")).isEmpty();
        assertThatThrownBy(() -> keys.create("late", "alice", Role.VIEWER, false, clock.millis() - 1))
                .hasMessage("key expiry is in the past");
    }

    @Test
    void lastUseIsRecordedWithItsAddressAtMostEveryThirtySeconds() {
        ApiKeys.Created c = keys.create("ci", "alice", Role.VIEWER, false, null);
        assertThat(c.key().lastUsedMs()).isNull();
        clock.advance(Duration.ofSeconds(5));
        long first = clock.millis();
        keys.authenticate(c.secret(), "10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        keys.authenticate(c.secret(), "10.0.0.2");
        ApiKeys.ApiKey k = keys.find(c.key().id()).orElseThrow();
        assertThat(k.lastUsedMs()).isEqualTo(first);
        assertThat(k.lastUsedFrom()).isEqualTo("10.0.0.1");
        clock.advance(Duration.ofSeconds(25));
        keys.authenticate(c.secret(), "10.0.0.3");
        k = keys.find(c.key().id()).orElseThrow();
        assertThat(k.lastUsedMs()).isEqualTo(clock.millis());
        assertThat(k.lastUsedFrom()).isEqualTo("10.0.0.3");
    }

    @Test
    void unusedReportsActiveKeysIdleLongerThanTheLimit() {
        ApiKeys.Created used = keys.create("used", "alice", Role.VIEWER, false, null);
        ApiKeys.Created never = keys.create("never", "alice", Role.VIEWER, false, null);
        ApiKeys.Created revoked = keys.create("revoked", "alice", Role.VIEWER, false, null);
        ApiKeys.Created expiring = keys.create(
                "expiring",
                "alice",
                Role.VIEWER,
                false,
                clock.millis() + Duration.ofDays(20).toMillis());
        keys.revoke(revoked.key().id());
        clock.advance(Duration.ofDays(25));
        keys.authenticate(used.secret(), "10.0.0.1");
        clock.advance(Duration.ofDays(10));
        assertThat(keys.unused(Duration.ofDays(30)))
                .extracting(ApiKeys.ApiKey::name)
                .containsExactly("never");
        assertThat(keys.unused(Duration.ofDays(5)))
                .extracting(ApiKeys.ApiKey::name)
                .containsExactlyInAnyOrder("used", "never");
        assertThat(keys.list()).hasSize(4);
        assertThat(expiring.key().expiresMs()).isNotNull();
    }

    @Test
    void aUsersKeyNeverActsAboveTheUser() {
        assertThatThrownBy(() -> keys.create("too much", "alice", Role.ADMIN, false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a key for alice cannot have role admin, above the owner's role operator");
        assertThatThrownBy(() -> keys.create("x", "ghost", Role.VIEWER, false, null))
                .hasMessage("no user 'ghost'");
        ApiKeys.Created c = keys.create("ops", "alice", Role.OPERATOR, false, null);
        users.setRole("alice", Role.RESPONDER);
        assertThat(keys.authenticate(c.secret(), "10.0.0.1").orElseThrow().role())
                .isEqualTo(Role.RESPONDER);
        users.setRole("alice", Role.ADMIN);
        assertThat(keys.authenticate(c.secret(), "10.0.0.1").orElseThrow().role())
                .as("the key's own role caps it")
                .isEqualTo(Role.OPERATOR);
        users.setDisabled("alice", true);
        assertThat(keys.authenticate(c.secret(), "10.0.0.1")).isEmpty();
        users.setDisabled("alice", false);
        assertThat(keys.authenticate(c.secret(), "10.0.0.1")).isPresent();
        users.delete("alice");
        assertThat(keys.authenticate(c.secret(), "10.0.0.1")).isEmpty();
        assertThat(keys.find(c.key().id()).orElseThrow().revokedMs())
                .as("deleting a user revokes their keys")
                .isNotNull();
    }

    @Test
    void serviceAccountKeysActAsTheAccountWithTheirOwnRole() {
        ApiKeys.Created c = keys.create("pipeline", "ci-bot", Role.OPERATOR, true, null);
        assertThat(keys.authenticate(c.secret(), "10.0.0.1"))
                .contains(new Principal(
                        "ci-bot", Role.OPERATOR, Principal.Kind.API_KEY, c.key().id(), false));
        assertThat(c.key().serviceAccount()).isTrue();
        assertThatThrownBy(() -> keys.create("x", "alice", Role.VIEWER, true, null))
                .hasMessage("service account 'alice' has the name of a user");
        assertThatThrownBy(() -> keys.create("x", "CI Bot", Role.VIEWER, true, null))
                .hasMessage("key owner must be a user or service account name (a-z, 0-9, '.', '_', '-')");
        assertThatThrownBy(() -> keys.create(" ", "ci-bot", Role.VIEWER, true, null))
                .hasMessage("key name must be 1 to 100 characters");
    }
}
