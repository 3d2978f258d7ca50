package dev.opsdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.AuthConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lockout per account and per source (defaults: 5 failures in 15 min lock for 15 min), on every backend. */
abstract class LockoutContract extends AuthContract {
    static final String WRONG = "not the password";

    @BeforeEach
    void twoUsers() {
        users.create("alice", Role.VIEWER, GOOD, false);
        users.create("bob", Role.VIEWER, GOOD, false);
    }

    Users.LoginResult fail(String user, String source) {
        clock.advance(Duration.ofSeconds(10));
        return users.login(user, WRONG, source);
    }

    @Test
    void fiveFailuresLockTheAccountEvenAgainstTheRightPasswordUntilTheDurationEnds() {
        for (int i = 1; i <= 5; i++) {
            assertThat(fail("alice", "10.0.0." + i))
                    .as("attempt %d", i)
                    .isInstanceOf(Users.LoginResult.BadCredentials.class);
        }
        Instant last = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        assertThat(users.login("alice", GOOD, "10.0.0.99"))
                .isEqualTo(new Users.LoginResult.Locked(last.plus(Duration.ofMinutes(15))));
        assertThat(users.login("bob", GOOD, "10.0.0.99"))
                .as("other accounts are not locked")
                .isInstanceOf(Users.LoginResult.Ok.class);
        clock.advance(Duration.ofMinutes(13)); // 14 min after the last failure
        assertThat(users.login("alice", GOOD, "10.0.0.99")).isInstanceOf(Users.LoginResult.Locked.class);
        clock.advance(Duration.ofMinutes(1));
        assertThat(users.login("alice", GOOD, "10.0.0.99")).isInstanceOf(Users.LoginResult.Ok.class);
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotLock() {
        for (int i = 0; i < 4; i++) fail("alice", "10.0.0.1");
        clock.advance(Duration.ofMinutes(15));
        fail("alice", "10.0.0.1");
        assertThat(users.login("alice", GOOD, "10.0.0.1")).isInstanceOf(Users.LoginResult.Ok.class);
    }

    @Test
    void aSuccessClearsTheAccountsFailures() {
        for (int i = 0; i < 4; i++) fail("alice", "10.0.0." + i);
        assertThat(users.login("alice", GOOD, "10.0.1.1")).isInstanceOf(Users.LoginResult.Ok.class);
        for (int i = 0; i < 4; i++) fail("alice", "10.0.2." + i);
        assertThat(users.login("alice", GOOD, "10.0.3.1")).isInstanceOf(Users.LoginResult.Ok.class);
    }

    @Test
    void oneSourceFailingAcrossAccountsIsLockedForEveryAccount() {
        fail("alice", "203.0.113.7");
        fail("bob", "203.0.113.7");
        fail("carol", "203.0.113.7"); // unknown names count too
        fail("dave", "203.0.113.7");
        fail("alice", "203.0.113.7");
        assertThat(users.login("bob", GOOD, "203.0.113.7")).isInstanceOf(Users.LoginResult.Locked.class);
        assertThat(users.login("bob", GOOD, "198.51.100.1")).isInstanceOf(Users.LoginResult.Ok.class);
        users.unlockSource("203.0.113.7");
        assertThat(users.login("bob", GOOD, "203.0.113.7")).isInstanceOf(Users.LoginResult.Ok.class);
    }

    @Test
    void unknownAccountsLockLikeRealOnesSoLockingRevealsNothing() {
        for (int i = 0; i < 5; i++) fail("ghost", "10.0.0." + i);
        assertThat(users.login("ghost", GOOD, "10.9.9.9")).isInstanceOf(Users.LoginResult.Locked.class);
    }

    @Test
    void refusedAttemptsDuringALockDoNotProlongIt() {
        for (int i = 0; i < 5; i++) fail("alice", "10.0.0." + i);
        Instant until = clock.instant().plus(Duration.ofMinutes(15));
        for (int i = 0; i < 20; i++) {
            assertThat(fail("alice", "10.1.0." + i)).isEqualTo(new Users.LoginResult.Locked(until));
        }
    }

    @Test
    void unlockLiftsAnAccountLock() {
        for (int i = 0; i < 5; i++) fail("alice", "10.0.0." + i);
        users.unlock("alice");
        assertThat(users.login("alice", GOOD, "10.0.9.9")).isInstanceOf(Users.LoginResult.Ok.class);
    }

    @Test
    void theLockSurvivesARestart() {
        for (int i = 0; i < 5; i++) fail("alice", "10.0.0." + i);
        restart();
        assertThat(users.login("alice", GOOD, "10.0.9.9")).isInstanceOf(Users.LoginResult.Locked.class);
    }

    @Test
    void disabledLockoutNeverLocks() {
        config = new AuthConfig(
                12,
                new AuthConfig.Lockout(false, 5, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                Duration.ofMinutes(30),
                Duration.ofHours(12),
                Duration.ofDays(30),
                true);
        wire();
        for (int i = 0; i < 8; i++) fail("alice", "10.0.0.1");
        assertThat(users.login("alice", GOOD, "10.0.0.1")).isInstanceOf(Users.LoginResult.Ok.class);
    }
}
